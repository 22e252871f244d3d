using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = min(x[i], y[i]) as MathF.Min: NaN if either is NaN, and -0 below +0.</summary>
    public static void Min(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Min), "y");
        RequireLength(x.Length, destination.Length, nameof(Min), "destination");
        int done = Vectorized.Transform(new MinOperator(), x, y, destination);
        MinScalar(x[done..], y[done..], destination[done..]);
    }

    /// <summary>The specification of <see cref="Min(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>, and the remainder of its vector path.</summary>
    internal static void MinScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++) destination[i] = MathF.Min(x[i], y[i]);
    }

    private readonly struct MinOperator : IBinaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Min(x, y);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.Min(x, y);
    }
}
