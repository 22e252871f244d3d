namespace ScratchNet.Data;

/// <summary>
/// One fold of K-fold cross-validation: the rows <see cref="DatasetSplitter.FoldOf"/> puts in fold
/// <see cref="Index"/> are the test split, the rows of the other K - 1 folds the training split.
/// </summary>
public sealed record CrossValidationFold
{
    /// <summary>The held-out fold, 0 to <see cref="Count"/> - 1.</summary>
    public required int Index { get; init; }

    /// <summary>K, the number of folds (at least 2).</summary>
    public required int Count { get; init; }

    /// <summary>Checks 2 ≤ K ≤ <see cref="Limits.MaxFolds"/> and 0 ≤ index &lt; K.</summary>
    /// <exception cref="ArgumentException">Either is out of range.</exception>
    public void Validate()
    {
        if (Count < 2 || Count > Limits.MaxFolds) throw new ArgumentException($"Cross-validation needs 2 to {Limits.MaxFolds} folds (got {Count}).");
        if (Index < 0 || Index >= Count) throw new ArgumentException($"Fold {Index} is not one of the {Count} folds (0 to {Count - 1}).");
    }
}
