namespace ScratchNet.Data;

/// <summary>What the catalog knows about a named dataset.</summary>
/// <param name="Name">The name used with --dataset ("mnist", "moons").</param>
/// <param name="Kind">Where the samples come from.</param>
/// <param name="Description">One line for `scratchnet datasets`.</param>
/// <param name="Task">"classification" or "regression".</param>
/// <param name="ClassNames">Class names (empty for regression).</param>
/// <param name="Files">Files with their SHA-256 (empty for synthetic sets).</param>
/// <param name="Source">Origin and licence, for attribution.</param>
public sealed record DatasetInfo(
    string Name,
    DatasetKind Kind,
    string Description,
    string Task,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<DataFileInfo> Files,
    string Source)
{
    /// <summary>Where the files may be downloaded from (base URL, file name + ".gz" appended), or null.</summary>
    public string? DownloadBaseUrl { get; init; }

    /// <summary>Whether the files are shipped in the repository's data/ folder.</summary>
    public bool Shipped { get; init; }

    /// <summary>For tables: the default target column.</summary>
    public string? DefaultTarget { get; init; }

    /// <summary>For tables: columns that are never features (row numbers).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>Whether this is a classification dataset.</summary>
    public bool IsClassification => Task == "classification";
}
