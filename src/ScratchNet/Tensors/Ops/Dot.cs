namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>Σ_i x[i] * y[i]. Summed in a fixed order, like <see cref="Sum"/>.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireLength(x.Length, y.Length, nameof(Dot), "y");
        return Vectorized.Reduce<MultiplyOperator, SumAggregator>(default, x, y);
    }

    /// <summary>The specification of <see cref="Dot"/>: the sum in element order.</summary>
    internal static float DotScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        ScalarLoop.Reduce<MultiplyOperator, SumAggregator>(default, x, y);
}
