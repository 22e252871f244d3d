using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i]².</summary>
    public static void Square(ReadOnlySpan<float> x, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Square), "destination");
        int done = Vectorized.Transform(new SquareOperator(), x, destination);
        SquareScalar(x[done..], destination[done..]);
    }

    /// <summary>The specification of <see cref="Square"/>, and the remainder of its vector path.</summary>
    internal static void SquareScalar(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] * x[i];
    }

    private readonly struct SquareOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => x * x;
        public Vector256<float> Invoke(Vector256<float> x) => x * x;
        public Vector128<float> Invoke(Vector128<float> x) => x * x;
    }
}
