using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i] + y[i].</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(Add), "y");
        RequireLength(x.Length, destination.Length, nameof(Add), "destination");
        Vectorized.Transform(new AddOperator(), x, y, destination);
    }

    /// <summary>The specification of <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>: the scalar loop.</summary>
    internal static void AddScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        ScalarLoop.Transform(new AddOperator(), x, y, destination);

    private readonly struct AddOperator : IBinaryOperator
    {
        public float Invoke(float x, float y) => x + y;
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x + y;
    }
}
