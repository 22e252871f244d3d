namespace ScratchNet.Data;

public sealed partial class DatasetManager
{
    /// <summary>The folders searched for <paramref name="info"/>'s files, in order.</summary>
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
        string? repo = DataFiles.FindRepoDataDir(_options.SearchRoots.Concat([AppContext.BaseDirectory, Environment.CurrentDirectory]));
        if (repo != null)
        {
            // Shipped sets: images in data/<name>/, tables directly in data/ or in data/tables/.
            if (info.Kind == DatasetKind.Table) { dirs.Add(repo); dirs.Add(Path.Combine(repo, "tables")); }
            else dirs.Add(Path.Combine(repo, info.Name));
        }
        dirs.Add(Path.Combine(_options.ResolveCacheDir(), info.Name));
        foreach (var sys in _options.SystemDataDirs) dirs.Add(Path.Combine(sys, info.Name));
        return dirs.Select(d => Path.GetFullPath(d)).Distinct().ToArray();
    }

    /// <summary>The paths of all of <paramref name="info"/>'s files in the first folder that has them all, or null.</summary>
    public string[]? Locate(DatasetInfo info)
    {
        foreach (var dir in SearchFolders(info))
        {
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
        if (info.DownloadBaseUrl != null)
        {
            if (allowDownload)
            {
                try { return Download(info); }
                catch (DataFormatException e) when (e.InnerException is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException)
                {
                    downloadProblem = e.Problem;
                }
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
        if (info.DownloadBaseUrl != null)
            remedies += $", or download them from {info.DownloadBaseUrl} into {Path.Combine(_options.ResolveCacheDir(), info.Name)}";
        string download = downloadProblem == null ? "" : $"; the download failed: {downloadProblem}";
        return $"dataset files not found ({files}); looked in {where}{download}. To provide them: {remedies}.";
    }
}
