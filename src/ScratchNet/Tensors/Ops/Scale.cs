namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = alpha * x[i].</summary>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Scale), "destination");
        int done = Vectorized.Transform(new ScaleOperator(alpha), x, destination);
        ScaleScalar(x[done..], alpha, destination[done..]);
    }

    /// <summary>The specification of <see cref="Scale"/>, and the remainder of its vector path.</summary>
    internal static void ScaleScalar(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++) destination[i] = alpha * x[i];
    }
}
