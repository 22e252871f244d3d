namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i] + c (a shift by a constant, e.g. x − max in softmax).</summary>
    public static void Add(ReadOnlySpan<float> x, float c, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Add), "destination");
        Vectorized.Transform(new AddConstantOperator(c), x, destination);
    }

    /// <summary>The specification of <see cref="Add(ReadOnlySpan{float}, float, Span{float})"/>: the scalar loop.</summary>
    internal static void AddScalar(ReadOnlySpan<float> x, float c, Span<float> destination) =>
        ScalarLoop.Transform(new AddConstantOperator(c), x, destination);
}
