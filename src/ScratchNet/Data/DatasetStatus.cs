namespace ScratchNet.Data;

/// <summary>Where a dataset stands on this machine, for `scratchnet datasets`.</summary>
/// <param name="Info">The catalog entry.</param>
/// <param name="Location">The folder holding its files, or null (missing, or generated).</param>
/// <param name="SearchFolders">The folders searched, in order (empty for synthetic sets).</param>
public sealed record DatasetStatus(DatasetInfo Info, string? Location, IReadOnlyList<string> SearchFolders)
{
    /// <summary>Whether the dataset can be loaded without a download.</summary>
    public bool Available => Info.Kind == DatasetKind.Synthetic || Location != null;
}
