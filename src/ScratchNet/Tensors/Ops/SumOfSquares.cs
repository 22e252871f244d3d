namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>Σ_i x[i]², the squared L2 norm (for weight decay and gradient-norm clipping). Summed in a fixed order, like <see cref="Sum"/>.</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x)
    {
        float s = Vectorized.Reduce<SquareOperator, SumAggregator>(default, x, out int done);
        return s + SumOfSquaresScalar(x[done..]);
    }

    /// <summary>The specification of <see cref="SumOfSquares"/>, and the remainder of its vector path.</summary>
    internal static float SumOfSquaresScalar(ReadOnlySpan<float> x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return s;
    }
}
