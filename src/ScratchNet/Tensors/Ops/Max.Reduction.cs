namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>max_i x[i] as MathF.Max: −∞ for an empty span, NaN if any element is NaN.</summary>
    public static float Max(ReadOnlySpan<float> x)
    {
        return Vectorized.Reduce<IdentityOperator, MaxAggregator>(default, x);
    }

    /// <summary>The specification of <see cref="Max(ReadOnlySpan{float})"/>: the scalar loop.</summary>
    internal static float MaxScalar(ReadOnlySpan<float> x) => ScalarLoop.Reduce<IdentityOperator, MaxAggregator>(default, x);
}
