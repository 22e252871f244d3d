namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = x[i] + c (a shift by a constant, e.g. x − max in softmax).</summary>
    public static void Add(ReadOnlySpan<float> x, float c, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Add), "destination");
        int done = Vectorized.Transform(new AddConstantOperator(c), x, destination);
        AddScalar(x[done..], c, destination[done..]);
    }

    /// <summary>The specification of <see cref="Add(ReadOnlySpan{float}, float, Span{float})"/>, and the remainder of its vector path.</summary>
    internal static void AddScalar(ReadOnlySpan<float> x, float c, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++) destination[i] = x[i] + c;
    }
}
