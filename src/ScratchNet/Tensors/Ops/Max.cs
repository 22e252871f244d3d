using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = max(x[i], y[i]) as MathF.Max: NaN if either is NaN, and +0 above -0.</summary>
    public static void Max(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Max), "y");
        RequireLength(x.Length, destination.Length, nameof(Max), "destination");
        Vectorized.Transform(new MaxOperator(), x, y, destination);
    }

    /// <summary>The specification of <see cref="Max(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: the scalar loop.</summary>
    internal static void MaxScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        ScalarLoop.Transform(new MaxOperator(), x, y, destination);

    private readonly struct MaxOperator : IBinaryOperator
    {
        public float Invoke(float x, float y) => MathF.Max(x, y);
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Max(x, y);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.Max(x, y);
    }
}
