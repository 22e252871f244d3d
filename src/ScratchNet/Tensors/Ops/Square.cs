using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i]².</summary>
    public static void Square(ReadOnlySpan<float> x, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Square), "destination");
        Vectorized.Transform(new SquareOperator(), x, destination);
    }

    /// <summary>The specification of <see cref="Square"/>: the scalar loop.</summary>
    internal static void SquareScalar(ReadOnlySpan<float> x, Span<float> destination) =>
        ScalarLoop.Transform(new SquareOperator(), x, destination);

    private readonly struct SquareOperator : IUnaryOperator
    {
        public float Invoke(float x) => x * x;
        public Vector512<float> Invoke(Vector512<float> x) => x * x;
        public Vector256<float> Invoke(Vector256<float> x) => x * x;
        public Vector128<float> Invoke(Vector128<float> x) => x * x;
    }
}
