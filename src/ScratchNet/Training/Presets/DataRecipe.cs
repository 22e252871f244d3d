using ScratchNet.Data;
using ScratchNet.IO;

namespace ScratchNet.Training.Presets;

/// <summary>
/// What a recipe trains on: a dataset by name (or a CSV path) and how to prepare it. Loaded through
/// a <see cref="DatasetManager"/> with the recipe's seed (it generates the synthetic sets and splits tables).
/// </summary>
public sealed record DataRecipe
{
    /// <summary>A dataset name from <see cref="DatasetCatalog"/> or a path to a CSV file.</summary>
    public required string Dataset { get; init; }

    /// <summary>Tables: the target column (null: the table's own, else the last column).</summary>
    public string? Target { get; init; }

    /// <summary>Tables: the feature columns, numeric or text (null: every column but the target); see <see cref="TableEncoding"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Tables: "classification" or "regression" (null: decided from the target column).</summary>
    public string? Task { get; init; }

    /// <summary>Generated 2-D sets: training samples to generate (null: 1000).</summary>
    public int? Samples { get; init; }

    /// <summary>Feature scaling fitted on the training split and saved with the model (images: one mean and deviation for all pixels).</summary>
    public StandardizeMode Standardize { get; init; }

    /// <summary>Tables: a regression target standardised for training (fitted on the training split), predictions and metrics restored to its units.</summary>
    public bool StandardizeTarget { get; init; }

    /// <summary>Images as (1, 28, 28) for convolutions instead of flat (784).</summary>
    public bool ChannelsFirst { get; init; }

    /// <summary>Tables: the fraction of rows held out as the test split (0: none, the model is then tested on its training rows).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>
    /// Tables: numeric feature columns read as log(1 + x) (every value ≥ 0), fitted and predicted that way
    /// (the model file's table encoding records it); null: none.
    /// </summary>
    public IReadOnlyList<string>? LogFeatures { get; init; }

    /// <summary>
    /// Tables: one fold of a K-fold cross-validation as the test split instead of <see cref="TestFraction"/>
    /// (<see cref="CrossValidation"/> sets it for each fold; null: the fraction).
    /// </summary>
    public CrossValidationFold? Fold { get; init; }

    /// <summary>Texts: characters per sample, T (null: 64 for a stream, the longest item + 1 for names).</summary>
    public int? ContextLength { get; init; }

    /// <summary>Autoencoders: each sample is its own target (<see cref="ReconstructionDataset"/>), its class kept aside for pictures.</summary>
    public bool Reconstruct { get; init; }

    /// <summary>Use only the first N training samples (quick checks); null: all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use only the first N test samples; null: all.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Checks the settings that do not need the data.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Dataset)) throw new ArgumentException("A data recipe needs a dataset name or a CSV path.");
        if (!TextExcerpt.IsName(Dataset, 4096)) throw new ArgumentException($"The dataset is not a name or a path: '{TextExcerpt.Of(Dataset)}'.");
        if (Samples is < 1 or > Limits.MaxGeneratedSamples) throw new ArgumentException($"The sample count must be in [1, {Limits.MaxGeneratedSamples}] (got {Samples}).");
        // JSON may give an enum as any number.
        if (!Enum.IsDefined(Standardize)) throw new ArgumentException($"Unknown standardisation {(int)Standardize}.");
        if (Task is not (null or "classification" or "regression")) throw new ArgumentException($"The task must be classification or regression (got '{TextExcerpt.Of(Task)}').");
        if (Target is not null && !TextExcerpt.IsName(Target, 1000)) throw new ArgumentException($"The target column is not a name: '{TextExcerpt.Of(Target)}'.");
        foreach (var feature in Features ?? [])
            if (!TextExcerpt.IsName(feature, 1000)) throw new ArgumentException($"Every feature column needs a name (got '{TextExcerpt.Of(feature)}').");
        if (Features is { Count: > Limits.MaxCsvColumns }) throw new ArgumentException($"At most {Limits.MaxCsvColumns:N0} feature columns (got {Features.Count:N0}).");
        if (Features?.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"The feature column '{TextExcerpt.Of(twice.Key)}' is named twice.");
        if (Target is not null && Features?.Contains(Target, StringComparer.Ordinal) == true)
            throw new ArgumentException($"The target column '{TextExcerpt.Of(Target)}' cannot also be a feature.");
        foreach (var log in LogFeatures ?? [])
            if (!TextExcerpt.IsName(log, 1000)) throw new ArgumentException($"Every log feature needs a column name (got '{TextExcerpt.Of(log)}').");
        if (LogFeatures is { Count: > Limits.MaxCsvColumns }) throw new ArgumentException($"At most {Limits.MaxCsvColumns:N0} log features (got {LogFeatures.Count:N0}).");
        if (LogFeatures?.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twiceLog)
            throw new ArgumentException($"The log feature '{TextExcerpt.Of(twiceLog.Key)}' is named twice.");
        if (Target is not null && LogFeatures?.Contains(Target, StringComparer.Ordinal) == true)
            throw new ArgumentException($"The target column '{TextExcerpt.Of(Target)}' cannot be a log feature.");
        Fold?.Validate();
        if (ContextLength is < 1 or > Limits.MaxContextLength) throw new ArgumentException($"The context length must be in [1, {Limits.MaxContextLength}] (got {ContextLength}).");
        if (TrainLimit is < 1) throw new ArgumentException($"The training sample limit must be at least 1 (got {TrainLimit}).");
        if (TestLimit is < 1) throw new ArgumentException($"The test sample limit must be at least 1 (got {TestLimit}).");
        if (!(TestFraction >= 0 && TestFraction < 1)) throw new ArgumentException($"The test fraction must be in [0, 1) (got {TestFraction}).");
    }

    /// <summary>
    /// Loads the training and test splits. An empty test split is replaced by the training split (the
    /// model is then tested on what it learnt from, as for tv-marketing's 200 markets).
    /// </summary>
    /// <exception cref="DataFormatException">The data is missing or malformed, or a file is empty or not a regular file (a FIFO, a device).</exception>
    /// <exception cref="ArgumentException">A setting does not apply to this dataset (a sample count for a file).</exception>
    public LoadedData Load(DatasetManager manager, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(manager);
        Validate();
        var info = manager.Info(Dataset);
        if (Features is not null && info.Kind is not (DatasetKind.Table or DatasetKind.CsvFile))
            throw new ArgumentException($"Feature columns apply to tables and CSV files, not to {info.Name}.");
        if (LogFeatures is not null && info.Kind is not (DatasetKind.Table or DatasetKind.CsvFile))
            throw new ArgumentException($"Log features apply to tables and CSV files, not to {info.Name}.");
        if (Fold is not null && info.Kind is not (DatasetKind.Table or DatasetKind.CsvFile))
            throw new ArgumentException($"Cross-validation folds apply to tables and CSV files, not to {info.Name}.");
        if (Samples is not null && info.Kind != DatasetKind.Synthetic)
            throw new ArgumentException($"A sample count applies to the generated 2-D sets ({string.Join(", ", DatasetCatalog.SyntheticNames)}), not to {info.Name}.");
        // A FIFO or a device would block the reader, maybe forever: refused before anything opens it.
        if (ContextLength is not null && info.Kind is not (DatasetKind.Text or DatasetKind.TextFile))
            throw new ArgumentException($"A context length applies to texts (names, tiny-shakespeare, a .txt file), not to {info.Name}.");
        foreach (string file in info.Kind is DatasetKind.CsvFile or DatasetKind.TextFile ? [Dataset] : manager.Locate(info) ?? [])
            if (RegularFile.Problem(file) is { } problem) throw new DataFormatException(file, problem);
        var data = manager.Load(Dataset, new DatasetLoadOptions
        {
            Seed = seed, Count = Samples, Target = Target, Features = Features, Task = Task,
            TestFraction = TestFraction, Standardize = Standardize, ChannelsFirst = ChannelsFirst, StandardizeTarget = StandardizeTarget,
            ContextLength = ContextLength, LogFeatures = LogFeatures, Fold = Fold,
        });
        data = data with
        {
            Train = Limit(data.Train, TrainLimit), Test = Limit(data.Test, TestLimit),
            TestRows = TestLimit is int n && data.TestRows is { } rows && n < rows.Count ? rows.Take(n).ToArray() : data.TestRows,
        };
        if (Reconstruct) data = data with { Train = new ReconstructionDataset(data.Train), Test = new ReconstructionDataset(data.Test) };
        return data.Test.Count == 0 ? data with { Test = data.Train, TestRows = null } : data;
    }

    private static Dataset Limit(Dataset data, int? limit) =>
        limit is int n && n < data.Count ? new SubsetDataset($"{data.Name}[:{n}]", data, Enumerable.Range(0, n).ToArray()) : data;
}
