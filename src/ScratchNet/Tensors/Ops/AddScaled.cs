using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>y[i] += alpha * x[i] (BLAS axpy).</summary>
    public static void AddScaled(Span<float> y, float alpha, ReadOnlySpan<float> x)
    {
        RequireLength(y.Length, x.Length, nameof(AddScaled), "x");
        Vectorized.Transform(new AddScaledOperator(alpha), y, x, y);
    }

    /// <summary>The specification of <see cref="AddScaled"/>: the scalar loop.</summary>
    internal static void AddScaledScalar(Span<float> y, float alpha, ReadOnlySpan<float> x) =>
        ScalarLoop.Transform(new AddScaledOperator(alpha), y, x, y);

    // Not fused (no FMA): the product is rounded before the add, in every form.
    private readonly struct AddScaledOperator(float alpha) : IBinaryOperator
    {
        private readonly float _alpha = alpha;
        public float Invoke(float y, float x) => y + _alpha * x;
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> x) => y + Vector512.Create(_alpha) * x;
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> x) => y + Vector256.Create(_alpha) * x;
        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> x) => y + Vector128.Create(_alpha) * x;
    }
}
