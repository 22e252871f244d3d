using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>
/// The small datasets travel inside ScratchNet.dll: they load with no data/ folder anywhere (no
/// checkout, no tool folder, no environment), from the copy the library writes into the cache.
/// </summary>
public class EmbeddedDataTests
{
    private static DatasetManager FarFromAnyCheckout(string cache) =>
        new(new DatasetManagerOptions
        {
            CacheDir = cache,
            SystemDataDirs = [],
            AllowDownload = false,
            GetEnvironment = _ => null,
            SearchCheckout = false,
            ProgramDataDir = Path.Combine(cache, "no-program-data"),
        });

    [Fact]
    public void TheLibraryCarriesEveryShippedTableAndText()
    {
        // data/**/*.csv and data/text/*.txt by glob: every such file of the repository is carried.
        var shipped = Directory.GetFiles(TempFolder.RepoData, "*.csv", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(TempFolder.RepoData, "text"), "*.txt"))
            .Select(f => Path.GetRelativePath(TempFolder.RepoData, f).Replace('\\', '/'));
        var carried = typeof(DatasetManager).Assembly.GetManifestResourceNames();
        Assert.All(shipped, f => Assert.Contains("ScratchNet.Data/" + f, carried));
        Assert.All(DatasetCatalog.All.Where(d => d.Kind is DatasetKind.Table or DatasetKind.Text), d => Assert.True(EmbeddedData.Carries(d), d.Name));
        Assert.False(EmbeddedData.Carries(DatasetCatalog.Mnist)); // 11 MB: the tool carries it, not the library
    }

    [Fact]
    public void TablesAndTextsLoadWithNoDataFolderAround()
    {
        using var cache = new TempFolder();
        var m = FarFromAnyCheckout(cache.Path);
        Assert.DoesNotContain(m.SearchFolders(DatasetCatalog.TvMarketing), f => f.StartsWith(Path.GetDirectoryName(TempFolder.RepoData)!, StringComparison.Ordinal));

        var tv = m.Load("tv-marketing");
        Assert.Equal(160, tv.Train.Count);
        Assert.Equal(40, tv.Test.Count);
        Assert.Equal(["TV"], tv.FeatureNames);
        Assert.Equal(["sales"], m.Load("advertising").TargetName is { } t ? [t] : []);
        Assert.Equal(32_033, m.ReadText("names").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(1_115_394, m.ReadText("tiny-shakespeare").Length);
        Assert.Contains(Path.Combine("tv-marketing", "tvmarketing.csv"), cache.Files());
        Assert.All(m.Verify("advertising"), r => Assert.True(r.Ok, r.Path));
        Assert.Equal(Path.Combine(cache.Path, "tv-marketing"), m.Status(DatasetCatalog.TvMarketing).Location);
        // MNIST is not in the library: offline and without the tool's folder, the one line says what to do.
        var e = Assert.Throws<DataFormatException>(() => m.Load("mnist"));
        Assert.StartsWith("mnist: dataset files not found", e.Message);
        Assert.Contains("the download failed: downloads are off", e.Message);
    }

    [Fact]
    public void ADamagedCopyInTheCacheIsReplacedFromTheLibrary()
    {
        using var cache = new TempFolder();
        var m = FarFromAnyCheckout(cache.Path);
        string copy = Path.Combine(cache.Path, "tv-marketing", "tvmarketing.csv");
        m.Fetch("tv-marketing");
        File.WriteAllText(copy, "TV,Sales\n1,2\n");

        Assert.Equal(200, m.Load("tv-marketing", new DatasetLoadOptions { TestFraction = 0.5 }).Train.Count * 2);
        Assert.Equal(DatasetCatalog.TvMarketing.Files[0].Sha256, DatasetManager.HashDecompressed(copy));
        Assert.Equal([Path.Combine("tv-marketing", "tvmarketing.csv")], cache.Files());
    }

    [Fact]
    public void TheToolsDataFolderIsSearchedBeforeTheCache()
    {
        using var dir = new TempFolder();
        string program = Path.Combine(dir.Path, "tool", "data");
        Directory.CreateDirectory(Path.Combine(program, "mnist"));
        foreach (string f in Directory.GetFiles(Path.Combine(TempFolder.RepoData, "mnist"))) File.Copy(f, Path.Combine(program, "mnist", Path.GetFileName(f)));
        var m = new DatasetManager(new DatasetManagerOptions
        {
            CacheDir = Path.Combine(dir.Path, "cache"), SystemDataDirs = [], AllowDownload = false, GetEnvironment = _ => null,
            SearchCheckout = false, ProgramDataDir = program,
        });

        Assert.Equal(Path.Combine(program, "mnist"), m.Fetch("mnist"));
        Assert.Equal([Path.Combine(program, "mnist"), Path.Combine(dir.Path, "cache", "mnist")], m.SearchFolders(DatasetCatalog.Mnist));
    }

    [Fact]
    public void ATextCorpusLoadsAsNextCharacterSamples()
    {
        var names = new DatasetManager().Load("names");
        Assert.IsType<TokenItemDataset>(names.Train);
        Assert.NotNull(names.Vocabulary);
        var e2 = Assert.Throws<DataFormatException>(() => new DatasetManager().ReadText("moons"));
        Assert.StartsWith("moons: not a text corpus", e2.Message);
    }
}
