namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>Σ_i |x[i]|, the L1 norm (for an L1 penalty). Summed in a fixed order, like <see cref="Sum"/>.</summary>
    public static float SumOfMagnitudes(ReadOnlySpan<float> x) => Vectorized.Reduce<AbsOperator, SumAggregator>(default, x);

    /// <summary>The specification of <see cref="SumOfMagnitudes"/>: the sum in element order.</summary>
    internal static float SumOfMagnitudesScalar(ReadOnlySpan<float> x) => ScalarLoop.Reduce<AbsOperator, SumAggregator>(default, x);
}
