namespace ScratchNet.Data;

/// <summary>A loaded dataset: training and test splits, and what a model file must remember about them.</summary>
/// <param name="Train">The training split.</param>
/// <param name="Test">The test split (may be empty).</param>
/// <param name="Info">The catalog entry (for a CSV file, an entry made for it).</param>
public sealed record LoadedData(Dataset Train, Dataset Test, DatasetInfo Info)
{
    /// <summary>The feature scaling fitted on <see cref="Train"/> and applied to both splits, or null.</summary>
    public Standardizer? Standardizer { get; init; }

    /// <summary>Tables: how rows become inputs (one-hot categories, fills, the target's scaling), fitted on <see cref="Train"/>; null for other data.</summary>
    public TableEncoding? Encoding { get; init; }

    /// <summary>Texts: the character vocabulary of the whole text (the model file keeps it); null for other data.</summary>
    public CharVocabulary? Vocabulary { get; init; }

    /// <summary>Feature names (table columns, or "x", "y" for 2-D sets); empty for images.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    /// <summary>The target column for tables, or null.</summary>
    public string? TargetName { get; init; }

    /// <summary>Tables: the data rows (0-based, in file order, the header not counted) of the test split, in its order; null otherwise.</summary>
    public IReadOnlyList<int>? TestRows { get; init; }

    /// <summary>var (train, test) = manager.Load(...).</summary>
    public void Deconstruct(out Dataset train, out Dataset test)
    {
        train = Train;
        test = Test;
    }
}
