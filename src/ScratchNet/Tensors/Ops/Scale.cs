namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = alpha * x[i].</summary>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        RequireLength(x.Length, destination.Length, nameof(Scale), "destination");
        Vectorized.Transform(new ScaleOperator(alpha), x, destination);
    }

    /// <summary>The specification of <see cref="Scale"/>: the scalar loop.</summary>
    internal static void ScaleScalar(ReadOnlySpan<float> x, float alpha, Span<float> destination) =>
        ScalarLoop.Transform(new ScaleOperator(alpha), x, destination);
}
