namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>max_i x[i] as MathF.Max: −∞ for an empty span, NaN if any element is NaN.</summary>
    public static float Max(ReadOnlySpan<float> x)
    {
        float m = Vectorized.Reduce<IdentityOperator, MaxAggregator>(default, x, out int done);
        return MathF.Max(m, MaxScalar(x[done..]));
    }

    /// <summary>The specification of <see cref="Max(ReadOnlySpan{float})"/>, and the remainder of its vector path.</summary>
    internal static float MaxScalar(ReadOnlySpan<float> x)
    {
        float m = float.NegativeInfinity;
        for (int i = 0; i < x.Length; i++) m = MathF.Max(m, x[i]);
        return m;
    }
}
