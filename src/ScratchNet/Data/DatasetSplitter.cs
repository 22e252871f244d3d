namespace ScratchNet.Data;

/// <summary>Seeded splits of a dataset into two parts (train/validation, train/test).</summary>
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
}
