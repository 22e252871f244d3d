using ScratchNet.Data;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Support;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// The dataset manager knows each file's decompressed size: a header that claims another size is
/// refused before its data is read. Measured over all threads (the four files are read in parallel),
/// so the test runs alone.
/// </summary>
[Collection(Allocations.Serial)]
public class IdxCatalogSizeTests
{
    /// <summary>A dataset file whose header claims less than the limit but more than the catalog's size: refused before any data is read.</summary>
    [Fact]
    public void AnIdxFileIsCheckedAgainstTheCatalogsSizeBeforeItsDataIsRead()
    {
        using var dir = new TempFolder();
        string folder = Path.Combine(dir.Path, "data", "fake-mnist");
        Directory.CreateDirectory(folder);
        var files = DatasetCatalog.IdxFileNames.Select((name, i) => new DataFileInfo(name, new string('0', 64), i % 2 == 0 ? 47_040_016 : 60_008)).ToArray();
        foreach (var f in files)
            File.WriteAllBytes(Path.Combine(folder, f.FileName + ".gz"),
                MemoryBombTests.Gzip(f.Bytes > 100_000 ? IdxReaderTests.Idx(0x08, [1_000_000, 28, 28], 0) : IdxReaderTests.Idx(0x08, [100_000_000], 0), zeros: 4 * (1L << 20)));
        var info = DatasetCatalog.Mnist with { Name = "fake-mnist", Files = files, Shipped = false };
        var manager = new DatasetManager(new DatasetManagerOptions
        {
            DataDir = Path.Combine(dir.Path, "data"), CacheDir = dir.File("cache"), SystemDataDirs = [], AllowDownload = false,
            GetEnvironment = _ => null, CatalogOverrides = [info],
        });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<DataFormatException>(() => manager.Load("fake-mnist"));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        // Whichever of the four files (read in parallel) failed first: each claims more than the catalog's size.
        Assert.Matches(@"-ubyte\.gz: its dimensions [0-9 x]+ describe (784,000,016|100,000,008) bytes, but the catalog gives this file (47,040,016|60,008) bytes \(corrupt or a different file\)$", e.Message);
        // The four files are read in parallel: other threads count here, and other tests may be running; 64 MiB is far below 784 MB.
        Assert.True(allocated < 64 * (1L << 20), $"allocated {allocated:N0} bytes");
    }
}
