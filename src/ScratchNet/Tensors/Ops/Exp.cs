using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// destination[i] = e^x[i]: +∞ above about 88.7, 0 below about −104, NaN for NaN. The vector
    /// path (the vector exponential of System.Runtime.Intrinsics) is within 2 ulps of MathF.Exp,
    /// not always the same bits.
    /// </summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Exp), "destination");
        Vectorized.Transform(new ExpOperator(), x, destination);
    }

    /// <summary>The specification of <see cref="Exp"/>: the scalar loop.</summary>
    internal static void ExpScalar(ReadOnlySpan<float> x, Span<float> destination) =>
        ScalarLoop.Transform(new ExpOperator(), x, destination);

    private readonly struct ExpOperator : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Exp(x);
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(x);
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(x);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(x);
    }
}
