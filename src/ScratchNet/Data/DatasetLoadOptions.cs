namespace ScratchNet.Data;

/// <summary>How <see cref="DatasetManager.Load"/> prepares a dataset. Every field has a sensible default.</summary>
public sealed class DatasetLoadOptions
{
    /// <summary>Images as (1, 28, 28) for convolutions instead of flat (784).</summary>
    public bool ChannelsFirst { get; init; }

    /// <summary>Seed for synthetic sets and for the train/test split of tables.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Synthetic sets: training samples (default 1000).</summary>
    public int? Count { get; init; }

    /// <summary>Synthetic sets: test samples (default a quarter of <see cref="Count"/>).</summary>
    public int? TestCount { get; init; }

    /// <summary>Synthetic sets: noise (standard deviation of the jitter; defaults per set).</summary>
    public float? Noise { get; init; }

    /// <summary>Synthetic spirals and gaussians: number of classes (default 3).</summary>
    public int? Classes { get; init; }

    /// <summary>Tables and CSV files: the target column (default: the table's own, else the last column).</summary>
    public string? Target { get; init; }

    /// <summary>Tables and CSV files: feature columns, numeric or text (default: every column but the target and a dataset's ignored columns).</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>
    /// Tables and CSV files: "classification" or "regression"; null = regression for a numeric target
    /// with many values, classification for text labels or a few integer values.
    /// </summary>
    public string? Task { get; init; }

    /// <summary>Tables and CSV files: the fraction of rows held out as the test split (seeded shuffle); 0 = none.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>
    /// Tables and CSV files: one fold of a K-fold cross-validation as the test split (<see cref="DatasetSplitter.FoldOf"/>
    /// with <see cref="Seed"/>, stratified by class for classification) instead of <see cref="TestFraction"/>; null: the fraction.
    /// </summary>
    public CrossValidationFold? Fold { get; init; }

    /// <summary>
    /// Tables and CSV files: numeric feature columns read as log(1 + x) (<see cref="TableColumn.Log1p"/>),
    /// for counts and amounts with a long right tail; each must be numeric and every value ≥ 0.
    /// </summary>
    public IReadOnlyList<string>? LogFeatures { get; init; }

    /// <summary>Tables and CSV files: a regression target standardised for training (<see cref="TargetScaling"/>, fitted on the training split).</summary>
    public bool StandardizeTarget { get; init; }

    /// <summary>
    /// Tables and CSV files: a saved encoding to apply instead of fitting one (evaluating a model on new
    /// rows): its columns are the features, its categories and fills are used, and a category it does
    /// not know is an error.
    /// </summary>
    public TableEncoding? Encoding { get; init; }

    /// <summary>
    /// Texts: tokens per sample, T (default: 64 for a stream, the longest item + 1 for one item per line).
    /// </summary>
    public int? ContextLength { get; init; }

    /// <summary>Texts: how the text becomes samples (default: the dataset's own; <see cref="TextLayout.Stream"/> for a text file).</summary>
    public TextLayout? TextLayout { get; init; }

    /// <summary>Feature scaling fitted on the training split (tables, CSV files and synthetic sets).</summary>
    public StandardizeMode Standardize { get; init; } = StandardizeMode.None;
}
