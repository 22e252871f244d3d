namespace ScratchNet.Data;

/// <summary>Seeded splits of a dataset into two parts (train/validation, train/test), and into K folds for cross-validation.</summary>
public static class DatasetSplitter
{
    /// <summary>
    /// Shuffles the sample indices with <c>new Rng(seed)</c> and holds out round(count * fraction) of
    /// them: returns (kept, heldOut) as views of <paramref name="dataset"/> (no copy). The same seed
    /// gives the same split on every machine.
    /// </summary>
    public static (Dataset Kept, Dataset HeldOut) Split(Dataset dataset, double fraction, ulong seed, string heldOutName = "validation")
    {
        var (kept, held) = SplitIndices(dataset.Count, fraction, seed);
        return (new SubsetDataset($"{dataset.Name}-{(heldOutName == "validation" ? "train" : "kept")}", dataset, kept),
                new SubsetDataset($"{dataset.Name}-{heldOutName}", dataset, held));
    }

    /// <summary>The index sets of <see cref="Split"/>: (kept, heldOut), each in shuffled order.</summary>
    public static (int[] Kept, int[] HeldOut) SplitIndices(int count, double fraction, ulong seed)
    {
        if (!(fraction >= 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), $"The held-out fraction must be in [0, 1) (got {fraction}).");
        var perm = new Rng(seed).Permutation(count);
        int held = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
        if (fraction > 0 && held == 0 && count > 1) held = 1;
        return (perm[held..], perm[..held]);
    }

    /// <summary>
    /// The fold (0 to <paramref name="folds"/> - 1) of each of <paramref name="labels"/>.Length samples,
    /// for K-fold cross-validation: the indices shuffled with <c>new Rng(seed)</c>, then taken class by
    /// class (class 0 first, each in shuffled order) and dealt round-robin, the i-th so taken to fold
    /// i mod K. So each fold holds ⌊n/K⌋ or ⌈n/K⌉ samples and each class's share of a fold is within one
    /// sample of n_c/K (stratified). <paramref name="labels"/> null (regression): the shuffled order alone.
    /// The same seed gives the same folds on every machine.
    /// </summary>
    /// <param name="count">Samples.</param>
    /// <param name="folds">K, in [2, <paramref name="count"/>].</param>
    /// <param name="seed">The shuffle's seed.</param>
    /// <param name="labels">Each sample's class (non-negative), or null to ignore classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">K is below 2 or above the sample count, or the labels do not match the count.</exception>
    public static int[] FoldOf(int count, int folds, ulong seed, IReadOnlyList<int>? labels = null)
    {
        if (folds < 2 || folds > count)
            throw new ArgumentOutOfRangeException(nameof(folds), $"Cross-validation needs 2 to {count:N0} folds for {count:N0} samples (got {folds}).");
        if (labels is not null && labels.Count != count)
            throw new ArgumentOutOfRangeException(nameof(labels), $"{labels.Count:N0} labels for {count:N0} samples.");
        var perm = new Rng(seed).Permutation(count);
        // A stable sort of the shuffled order by class keeps each class in shuffled order.
        var order = labels is null ? perm : perm.OrderBy(i => labels[i]).ToArray();
        var fold = new int[count];
        for (int k = 0; k < count; k++) fold[order[k]] = k % folds;
        return fold;
    }

    /// <summary>
    /// The index sets of fold <paramref name="fold"/> of <see cref="FoldOf"/>: (kept, heldOut), the samples
    /// of the other folds and of this one, each in ascending order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fold is not in [0, K), or as <see cref="FoldOf"/>.</exception>
    public static (int[] Kept, int[] HeldOut) FoldIndices(int count, CrossValidationFold fold, ulong seed, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var of = FoldOf(count, fold.Count, seed, labels);
        if (fold.Index < 0 || fold.Index >= fold.Count)
            throw new ArgumentOutOfRangeException(nameof(fold), $"Fold {fold.Index} is not one of the {fold.Count} folds (0 to {fold.Count - 1}).");
        var kept = new List<int>(count);
        var held = new List<int>(count / fold.Count + 1);
        for (int i = 0; i < count; i++) (of[i] == fold.Index ? held : kept).Add(i);
        return (kept.ToArray(), held.ToArray());
    }
}
