using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// destination[i] = x[i] * y[i] + addend[i]. The product is rounded before the add (no fused
    /// multiply-add), so every path gives the same bits. <paramref name="destination"/> may be <paramref name="addend"/>
    /// (destination += x ⊙ y).
    /// </summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> addend, Span<float> destination)
    {
        RequireLength(x.Length, y.Length, nameof(MultiplyAdd), "y");
        RequireLength(x.Length, addend.Length, nameof(MultiplyAdd), "addend");
        RequireLength(x.Length, destination.Length, nameof(MultiplyAdd), "destination");
        Vectorized.Transform(new MultiplyAddOperator(), x, y, addend, destination);
    }

    /// <summary>The specification of <see cref="MultiplyAdd"/>: the scalar loop.</summary>
    internal static void MultiplyAddScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> addend, Span<float> destination) =>
        ScalarLoop.Transform(new MultiplyAddOperator(), x, y, addend, destination);

    private readonly struct MultiplyAddOperator : ITernaryOperator
    {
        public float Invoke(float x, float y, float z) => x * y + z;
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => x * y + z;
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => x * y + z;
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => x * y + z;
    }
}
