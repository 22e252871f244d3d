namespace ScratchNet.Data;

/// <summary>File-finding helpers shared by the dataset manager.</summary>
internal static class DataFiles
{
    /// <summary>The path of <paramref name="fileName"/> in <paramref name="dir"/>, raw or with ".gz", or null.</summary>
    public static string? FindFile(string dir, string fileName)
    {
        string raw = Path.Combine(dir, fileName);
        if (File.Exists(raw)) return raw;
        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>Paths of every file of <paramref name="info"/> in <paramref name="dir"/>, or null if one is missing.</summary>
    public static string[]? FindAll(string dir, DatasetInfo info)
    {
        var paths = new string[info.Files.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            string? p = FindFile(dir, info.Files[i].FileName);
            if (p == null) return null;
            paths[i] = p;
        }
        return paths;
    }

    /// <summary>
    /// The repository's data/ folder: walks up from each start folder looking for data/mnist (the
    /// shipped files), so the tools work from bin/Release/... and from any sub-folder of a clone.
    /// <paramref name="except"/> (the data/ folder an installed tool carries beside itself) is not a checkout.
    /// </summary>
    public static string? FindRepoDataDir(IEnumerable<string> starts, string? except = null)
    {
        foreach (string start in starts)
        {
            if (string.IsNullOrEmpty(start)) continue;
            DirectoryInfo? dir;
            try { dir = new DirectoryInfo(Path.GetFullPath(start)); } catch (Exception e) when (e is ArgumentException or IOException or NotSupportedException) { continue; }
            for (; dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data");
                if (Directory.Exists(Path.Combine(candidate, "mnist")) && !SamePath(candidate, except)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Whether two folder paths name the same folder (after full-path normalisation).</summary>
    public static bool SamePath(string a, string? b) =>
        b != null && string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
