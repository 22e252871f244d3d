using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = min(x[i], y[i]) as MathF.Min: NaN if either is NaN, and -0 below +0.</summary>
    public static void Min(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Min), "y");
        RequireLength(x.Length, destination.Length, nameof(Min), "destination");
        Vectorized.Transform(new MinOperator(), x, y, destination);
    }

    /// <summary>The specification of <see cref="Min(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: the scalar loop.</summary>
    internal static void MinScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        ScalarLoop.Transform(new MinOperator(), x, y, destination);

    private readonly struct MinOperator : IBinaryOperator
    {
        public float Invoke(float x, float y) => MathF.Min(x, y);
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Min(x, y);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.Min(x, y);
    }
}
