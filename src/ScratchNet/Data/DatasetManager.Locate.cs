namespace ScratchNet.Data;

public sealed partial class DatasetManager
{
    /// <summary>
    /// The folders searched for <paramref name="info"/>'s files, in order: --data-dir (DIR/&lt;name&gt;/,
    /// DIR/), $SCRATCHNET_DATA (the same two), the checkout's data/, the data/ folder beside the program
    /// (what the installed tool carries), the user cache (where the files the library carries are
    /// copied, and downloads go), then the system folders.
    /// </summary>
    public IReadOnlyList<string> SearchFolders(DatasetInfo info)
    {
        var dirs = new List<string>();
        void AddRoot(string? root)
        {
            if (string.IsNullOrEmpty(root)) return;
            dirs.Add(Path.Combine(root, info.Name));
            dirs.Add(root);
        }
        AddRoot(_options.DataDir);
        AddRoot(_options.Env("SCRATCHNET_DATA"));
        string program = _options.ResolveProgramDataDir();
        if (_options.SearchCheckout)
        {
            string? repo = DataFiles.FindRepoDataDir(_options.SearchRoots.Concat([AppContext.BaseDirectory, Environment.CurrentDirectory]), except: program);
            if (repo != null) dirs.AddRange(ShippedFolders(repo, info));
        }
        dirs.AddRange(ShippedFolders(program, info));
        dirs.Add(CacheFolder(info));
        foreach (var sys in _options.SystemDataDirs) dirs.Add(Path.Combine(sys, info.Name));
        return dirs.Select(d => Path.GetFullPath(d)).Distinct().ToArray();
    }

    /// <summary>Where a data/ folder keeps <paramref name="info"/>'s files: images in data/&lt;name&gt;/, texts in data/text/, tables directly in data/ or in data/tables/.</summary>
    private static string[] ShippedFolders(string data, DatasetInfo info) => info.Kind switch
    {
        DatasetKind.Table => [data, Path.Combine(data, "tables")],
        DatasetKind.Text => [Path.Combine(data, "text")],
        _ => [Path.Combine(data, info.Name)],
    };

    private string CacheFolder(DatasetInfo info) => Path.GetFullPath(Path.Combine(_options.ResolveCacheDir(), info.Name));

    /// <summary>
    /// The paths of all of <paramref name="info"/>'s files in the first folder that has them all, or null.
    /// When the search reaches the user cache and the library carries the dataset (ScratchNet.dll embeds
    /// the small tables and texts), the files are copied there first, their SHA-256 checked as they are written.
    /// </summary>
    /// <exception cref="DataFormatException">A carried file cannot be copied into the cache (the message says what to do).</exception>
    public string[]? Locate(DatasetInfo info)
    {
        string cache = CacheFolder(info);
        foreach (var dir in SearchFolders(info))
        {
            if (dir == cache && EmbeddedData.Carries(info)) return EmbeddedData.CopyTo(info, dir);
            if (!Directory.Exists(dir)) continue;
            var found = DataFiles.FindAll(dir, info);
            if (found != null) return found;
        }
        return null;
    }

    private string[] LocateOrThrow(DatasetInfo info, bool allowDownload)
    {
        var found = Locate(info);
        if (found != null) return found;
        string? downloadProblem = null;
        if (info.DownloadMirrors.Count > 0)
        {
            if (allowDownload)
            {
                try { return Download(info); }
                catch (DownloadFailedException e) { downloadProblem = e.Message; }
            }
            else downloadProblem = "downloads are off";
        }
        throw new DataFormatException(info.Name, NotFoundMessage(info, downloadProblem));
    }

    private string NotFoundMessage(DatasetInfo info, string? downloadProblem)
    {
        string files = string.Join(", ", info.Files.Select(f => f.FileName + "[.gz]"));
        string where = string.Join(", ", SearchFolders(info));
        string remedies = $"put the files in DIR/{info.Name}/ and pass --data-dir DIR or set SCRATCHNET_DATA=DIR";
        if (info.Name == "fashion-mnist") remedies += ", or run `apt-get install dataset-fashion-mnist` (Debian)";
        if (info.DownloadMirrors.Count > 0)
            remedies += $", or download them from {string.Join(" or ", info.DownloadMirrors)} into {CacheFolder(info)}";
        string download = downloadProblem == null ? "" : $"; the download failed: {downloadProblem}";
        return $"dataset files not found ({files}); looked in {where}{download}. To provide them: {remedies}.";
    }
}
