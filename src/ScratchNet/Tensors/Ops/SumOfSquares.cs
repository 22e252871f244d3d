namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>Σ_i x[i]², the squared L2 norm (for weight decay and gradient-norm clipping). Summed in a fixed order, like <see cref="Sum"/>.</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x)
    {
        return Vectorized.Reduce<SquareOperator, SumAggregator>(default, x);
    }

    /// <summary>The specification of <see cref="SumOfSquares"/>: the sum in element order.</summary>
    internal static float SumOfSquaresScalar(ReadOnlySpan<float> x) => ScalarLoop.Reduce<SquareOperator, SumAggregator>(default, x);
}
