namespace ScratchNet.Benchmarks.Tools;

/// <summary>docs-images: writes <see cref="DocsImages"/> into the repository's docs/images.</summary>
internal static class DocsImagesCommand
{
    public const string Usage = "docs-images [--out DIR]    (default: the repository's docs/images)";

    /// <summary>The command: regenerates docs/images (or --out DIR).</summary>
    public static int Run(ToolOptions options)
    {
        string? outDir = options.Text("out");
        options.RejectUnknown("docs-images");
        string root = RepositoryRoot();
        string output = outDir ?? Path.Combine(root, "docs", "images");
        DocsImages.Write(Path.Combine(root, "data"), output);
        foreach (string name in DocsImages.FileNames) Console.WriteLine(Path.Combine(output, name));
        return 0;
    }

    /// <summary>The first folder above the current one (then above the program) with data/mnist and docs/.</summary>
    private static string RepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "data", "mnist")) && Directory.Exists(Path.Combine(d.FullName, "docs")))
                    return d.FullName;
        throw new ToolUsageException("docs-images: run it inside the repository (no folder above has data/mnist and docs/)");
    }
}
