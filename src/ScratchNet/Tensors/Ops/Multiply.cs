using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i] * y[i] (the Hadamard product).</summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Multiply), "y");
        RequireLength(x.Length, destination.Length, nameof(Multiply), "destination");
        Vectorized.Transform(new MultiplyOperator(), x, y, destination);
    }

    /// <summary>The specification of <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: the scalar loop.</summary>
    internal static void MultiplyScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        ScalarLoop.Transform(new MultiplyOperator(), x, y, destination);

    private readonly struct MultiplyOperator : IBinaryOperator
    {
        public float Invoke(float x, float y) => x * y;
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * y;
    }
}
