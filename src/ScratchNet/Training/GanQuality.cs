using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// A number for a digit GAN's samples, judged by a trained classifier C: draw n images x̂ᵢ = G(zᵢ),
/// zᵢ ~ N(0, I) from a seed, and take pᵢ = softmax(C(x̂ᵢ)). Then
/// <code>
/// confident share = |{ i : max_c pᵢ,c ≥ τ }| / n          (τ = 0.9: the digit is recognisable)
/// share of class c = |{ i : argmax pᵢ = c }| / n          (the spread: a collapsed GAN draws few classes)
/// </code>
/// A GAN that draws every digit well has a confident share near 1 and about 1/k of its samples in each of the k classes.
/// </summary>
public static class GanQuality
{
    /// <summary>
    /// Measures <paramref name="count"/> images drawn from <paramref name="gan"/> (codes from a generator
    /// seeded <paramref name="seed"/>) with <paramref name="classifier"/>, whose input must hold as many
    /// values as an image (the images are reshaped to its input shape). The classifier gives logits,
    /// or probabilities when its last layer is a <see cref="Softmax"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The classifier does not take the GAN's images or has fewer than 2 outputs; a count or threshold out of range.</exception>
    public static GanQualityResult Measure(GanModel gan, Model classifier, int count = 1000, ulong seed = 1, double threshold = 0.9)
    {
        ArgumentNullException.ThrowIfNull(gan);
        ArgumentNullException.ThrowIfNull(classifier);
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), $"The confidence threshold must be in (0, 1] (got {threshold}).");
        long pixels = gan.InputShape.Aggregate(1L, (a, d) => a * d), inputs = classifier.InputShape.Aggregate(1L, (a, d) => a * d);
        if (pixels != inputs)
            throw new ArgumentException($"The classifier takes {Tensor.FormatShape(classifier.InputShape)} ({inputs} values), the generator draws {Tensor.FormatShape(gan.InputShape)} ({pixels} values).");
        int classes = classifier.OutputShape is [int k] ? k : 0;
        if (classes < 2) throw new ArgumentException($"The classifier must give one score per class (at least 2), not {Tensor.FormatShape(classifier.OutputShape)}.");
        var images = gan.Sample(count, new Rng(seed));
        var scores = Evaluation.Predict(classifier, images.Reshape([count, .. classifier.InputShape]), 256);
        bool probabilities = classifier is Sequential { Layers: [.., Softmax] };
        var counts = new int[classes];
        int confident = 0;
        var p = new double[classes];
        for (int i = 0; i < count; i++)
        {
            var row = scores.Span.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            double top;
            if (probabilities) top = row[best];
            else
            {
                // max softmax = 1 / Σ_c exp(s_c − s_max), stable
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += Math.Exp(row[c] - row[best]);
                top = 1 / sum;
            }
            counts[best]++;
            if (top >= threshold) confident++;
        }
        return new GanQualityResult(count, threshold, confident, counts);
    }
}
