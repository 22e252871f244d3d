namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Σ_i x[i]. The vector path keeps several partial sums (see <see cref="Vectorized"/>), so it
    /// rounds differently from the scalar loop, but always the same way for the same data.
    /// </summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        float s = Vectorized.Reduce<IdentityOperator, SumAggregator>(default, x, out int done);
        return s + SumScalar(x[done..]);
    }

    /// <summary>The specification of <see cref="Sum"/>, and the remainder of its vector path.</summary>
    internal static float SumScalar(ReadOnlySpan<float> x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }
}
