using System.Globalization;

namespace ScratchNet.Data;

/// <summary>
/// The standardisation of a regression target: the model learns z = (y - Mean) / Scale, with Mean and
/// Scale (the population standard deviation) fitted on the training split, and its outputs are restored
/// as y = z·Scale + Mean. A target of house prices (around 1.8e5, deviation 8e4) would otherwise give
/// squared errors near 1e10 and gradients that swamp any learning rate.
/// </summary>
public sealed record TargetScaling
{
    /// <summary>A scaling with explicit parameters.</summary>
    /// <exception cref="ArgumentException">The mean is not finite or the scale is not positive and finite.</exception>
    public TargetScaling(double mean, double scale)
    {
        if (!double.IsFinite(mean)) throw new ArgumentException($"A target scaling needs a finite mean (got {mean.ToString(CultureInfo.InvariantCulture)}).");
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentException($"A target scaling needs a positive, finite scale (got {scale.ToString(CultureInfo.InvariantCulture)}).");
        Mean = mean;
        Scale = scale;
    }

    /// <summary>The training targets' mean, subtracted.</summary>
    public double Mean { get; }

    /// <summary>The training targets' population standard deviation (1 for a constant target), dividing.</summary>
    public double Scale { get; }

    /// <summary>Fits on <paramref name="values"/> (accumulated in double).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static TargetScaling Fit(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) throw new ArgumentException("Cannot fit a target scaling on zero values.");
        double sum = 0;
        foreach (float v in values) sum += v;
        double mean = sum / values.Length, sq = 0;
        foreach (float v in values) { double t = v - mean; sq += t * t; }
        double std = Math.Sqrt(sq / values.Length);
        return new TargetScaling(mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1);
    }

    /// <summary>z = (y - Mean) / Scale, in place.</summary>
    public void Apply(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)((values[i] - Mean) / Scale);
    }

    /// <summary>y = z·Scale + Mean, in place.</summary>
    public void Restore(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(values[i] * Scale + Mean);
    }
}
