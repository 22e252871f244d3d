namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>Σ_i x[i] * y[i]. Summed in a fixed order, like <see cref="Sum"/>.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireLength(x.Length, y.Length, nameof(Dot), "y");
        float s = Vectorized.Reduce<MultiplyOperator, SumAggregator>(default, x, y, out int done);
        return s + DotScalar(x[done..], y[done..]);
    }

    /// <summary>The specification of <see cref="Dot"/>, and the remainder of its vector path.</summary>
    internal static float DotScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }
}
