namespace ScratchNet.Tests.Data;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    private static int s_counter;

    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"scratchnet-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");
        if (Directory.Exists(Path)) Directory.Delete(Path, true);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every file in the folder (to check that nothing partial was left).</summary>
    public string[] Files() => Directory.GetFiles(Path, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f)).Order().ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }

    /// <summary>The repository's data/ folder.</summary>
    public static string RepoData
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
                if (Directory.Exists(System.IO.Path.Combine(d.FullName, "data", "mnist"))) return System.IO.Path.Combine(d.FullName, "data");
            throw new InvalidOperationException("data/mnist not found above " + AppContext.BaseDirectory);
        }
    }
}
