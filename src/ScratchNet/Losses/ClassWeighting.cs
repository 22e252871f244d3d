namespace ScratchNet.Losses;

/// <summary>Weights per class for the classification losses, so that a rare class counts as much as a common one.</summary>
public static class ClassWeighting
{
    /// <summary>
    /// scikit-learn's "balanced" weights: w_c = n / (k·n_c) for n samples, k classes and n_c samples of
    /// class c, so that every class carries the same total weight n / k (a class absent from
    /// <paramref name="counts"/> gets 1: it never occurs in the loss).
    /// </summary>
    /// <param name="counts">Samples of each class.</param>
    /// <exception cref="ArgumentException">No classes, or a negative count.</exception>
    public static float[] Balanced(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0) throw new ArgumentException("Balanced class weights need at least one class.");
        if (counts.Any(c => c < 0)) throw new ArgumentException("Class counts cannot be negative.");
        double n = counts.Sum(), k = counts.Count;
        return counts.Select(c => c == 0 ? 1f : (float)(n / (k * c))).ToArray();
    }

    /// <summary>A copy of <paramref name="weights"/>, checked positive and finite (null stays null).</summary>
    /// <exception cref="ArgumentException">An empty list, or a weight that is not positive and finite.</exception>
    internal static float[]? Checked(IReadOnlyList<float>? weights)
    {
        if (weights is null) return null;
        if (weights.Count == 0) throw new ArgumentException("Class weights cannot be an empty list.");
        foreach (float w in weights)
            if (!(w > 0) || !float.IsFinite(w)) throw new ArgumentException($"Class weights must be positive and finite (got {w}).");
        return weights.ToArray();
    }
}
