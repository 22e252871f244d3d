namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Σ_i x[i]. The vector path keeps several partial sums (see <see cref="Vectorized"/>), so it
    /// rounds differently from the scalar loop, but always the same way for the same data.
    /// </summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        return Vectorized.Reduce<IdentityOperator, SumAggregator>(default, x);
    }

    /// <summary>The specification of <see cref="Sum"/>: the sum in element order.</summary>
    internal static float SumScalar(ReadOnlySpan<float> x) => ScalarLoop.Reduce<IdentityOperator, SumAggregator>(default, x);
}
