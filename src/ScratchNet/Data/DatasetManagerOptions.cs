namespace ScratchNet.Data;

/// <summary>Where <see cref="DatasetManager"/> looks for files and whether it may download.</summary>
public sealed class DatasetManagerOptions
{
    /// <summary>The --data-dir folder: looked in first (as DIR/&lt;name&gt;/ and DIR/).</summary>
    public string? DataDir { get; init; }

    /// <summary>
    /// The user cache folder for downloads; null = $SCRATCHNET_CACHE, else $XDG_CACHE_HOME/scratchnet,
    /// else ~/.cache/scratchnet.
    /// </summary>
    public string? CacheDir { get; init; }

    /// <summary>System-wide dataset folders (Debian's dataset-* packages install under /usr/share/datasets).</summary>
    public IReadOnlyList<string> SystemDataDirs { get; init; } = ["/usr/share/datasets"];

    /// <summary>Whether a missing dataset may be downloaded (false = offline).</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Time limit for each download.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>For tests: the HTTP handler downloads go through (null = the default).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Reads environment variables (tests replace it); null = <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public Func<string, string?>? GetEnvironment { get; init; }

    /// <summary>Receives progress lines ("downloading ..."); null = silent.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Receives a download's progress: once when each file starts, then about every megabyte and at its end;
    /// null = silent. Called on the thread that downloads.
    /// </summary>
    public Action<DownloadProgress>? OnDownloadProgress { get; init; }

    /// <summary>Extra folders to start the walk up for the repository's data/ folder (tests); the
    /// application base directory and the current directory are always tried.</summary>
    public IReadOnlyList<string> SearchRoots { get; init; } = [];

    /// <summary>
    /// For tests: whether the repository's data/ folder is searched for (false: as if run far from any
    /// checkout). The program's own data/ folder (<see cref="ProgramDataDir"/>) is searched either way.
    /// </summary>
    internal bool SearchCheckout { get; init; } = true;

    /// <summary>
    /// The data/ folder the installed tool carries beside its program (MNIST, in the tool package);
    /// null = AppContext.BaseDirectory/data. Tests point it elsewhere.
    /// </summary>
    internal string? ProgramDataDir { get; init; }

    internal string ResolveProgramDataDir() => ProgramDataDir ?? Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>
    /// For tests: catalog entries used instead of <see cref="DatasetCatalog"/>'s entries of the same name,
    /// so that search, download and hash verification run on small made-up files on every machine.
    /// </summary>
    internal IReadOnlyList<DatasetInfo> CatalogOverrides { get; init; } = [];

    internal string? Env(string name) => (GetEnvironment ?? Environment.GetEnvironmentVariable)(name);

    /// <summary>The cache folder in effect.</summary>
    public string ResolveCacheDir()
    {
        if (!string.IsNullOrEmpty(CacheDir)) return CacheDir;
        string? own = Env("SCRATCHNET_CACHE");
        if (!string.IsNullOrEmpty(own)) return own;
        string? xdg = Env("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "scratchnet");
        string home = Env("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "scratchnet");
    }
}
