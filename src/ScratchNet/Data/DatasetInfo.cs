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
    /// <summary>
    /// Where the files may be downloaded from: base URLs (file name + ".gz" appended), tried in order until
    /// one gives a file whose decompressed SHA-256 is the catalog's. Empty: not downloadable.
    /// </summary>
    public IReadOnlyList<string> DownloadMirrors { get; init; } = [];

    /// <summary>Whether the files are shipped in the repository's data/ folder (and carried by the tool or the library).</summary>
    public bool Shipped { get; init; }

    /// <summary>For tables: the default target column.</summary>
    public string? DefaultTarget { get; init; }

    /// <summary>For tables: columns that are never features (row numbers).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>For texts: how the text becomes samples (names.txt: one item per line).</summary>
    public TextLayout TextLayout { get; init; } = TextLayout.Stream;

    /// <summary>Whether this is a classification dataset.</summary>
    public bool IsClassification => Task == "classification";
}
