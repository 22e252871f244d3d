using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

/// <summary>
/// Downloads against a real HTTP server on 127.0.0.1 (<see cref="LoopbackHttpServer"/>): a made-up
/// MNIST of four small IDX files stands for the real one, with the real catalog entry's name, classes
/// and two mirrors. The search sees no checkout, no tool folder and no environment, so every file
/// comes over HTTP. Each test checks what is left in the cache: never a file that could be taken for data
/// unless its hash is the catalog's.
/// </summary>
public class DownloadTests
{
    /// <summary>The four files: raw bytes (hashed by the catalog entry) and the .gz served.</summary>
    private sealed record FakeMnist(DatasetInfo Info, byte[][] Gz)
    {
        public static FakeMnist Create(IReadOnlyList<string> mirrors)
        {
            var rng = new Rng(15);
            byte[] Pixels(int n) => [.. Enumerable.Range(0, n * 784).Select(_ => (byte)rng.NextInt(256))];
            byte[][] raw =
            [
                [.. IdxReaderTests.Idx(0x08, [3, 28, 28], 0), .. Pixels(3)],
                [.. IdxReaderTests.Idx(0x08, [3], 0), 7, 2, 1],
                [.. IdxReaderTests.Idx(0x08, [2, 28, 28], 0), .. Pixels(2)],
                [.. IdxReaderTests.Idx(0x08, [2], 0), 0, 4],
            ];
            var files = raw.Select((r, i) => new DataFileInfo(DatasetCatalog.IdxFileNames[i], Convert.ToHexStringLower(SHA256.HashData(r)), r.Length)).ToArray();
            return new FakeMnist(DatasetCatalog.Mnist with { Files = files, DownloadMirrors = mirrors }, [.. raw.Select(IdxReaderTests.Gzip)]);
        }

        /// <summary>Puts the four .gz files on <paramref name="server"/> under <paramref name="folder"/>/.</summary>
        public void Serve(LoopbackHttpServer server, string folder, Func<int, byte[], LoopbackHttpServer.Answer>? answer = null)
        {
            for (int i = 0; i < 4; i++)
                server.Files[$"{folder}/{DatasetCatalog.IdxFileNames[i]}.gz"] = answer?.Invoke(i, Gz[i]) ?? new LoopbackHttpServer.Answer(Gz[i]);
        }
    }

    private static DatasetManager Manager(string cache, FakeMnist fake, List<DownloadProgress>? progress = null, List<string>? log = null) =>
        new(new DatasetManagerOptions
        {
            CacheDir = cache,
            SystemDataDirs = [],
            AllowDownload = true,
            GetEnvironment = _ => null,
            SearchCheckout = false,
            ProgramDataDir = Path.Combine(cache, "no-program-data"),
            CatalogOverrides = [fake.Info],
            DownloadTimeout = TimeSpan.FromSeconds(30),
            OnDownloadProgress = progress == null ? null : p => { lock (progress) progress.Add(p); },
            Log = log == null ? null : line => { lock (log) log.Add(line); },
        });

    private static readonly string[] CachedFiles = [.. DatasetCatalog.IdxFileNames.Order().Select(f => $"mnist/{f}.gz")];

    [Fact]
    public void ADeadFirstMirrorFallsToTheSecondWithProgress()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([LoopbackHttpServer.DeadUrl() + "mnist/", server.BaseUrl + "mnist/"]);
        fake.Serve(server, "mnist");
        using var cache = new TempFolder();
        var progress = new List<DownloadProgress>();
        var m = Manager(cache.Path, fake, progress);

        var data = m.Load("mnist");

        Assert.Equal(3, data.Train.Count);
        Assert.Equal([7, 2, 1], Enumerable.Range(0, 3).Select(i => ((ImageDataset)data.Train).Label(i)));
        Assert.Equal(CachedFiles, cache.Files());
        Assert.Equal(4, server.Requests.Count);
        // Each file: a first report at 0 bytes and a last one at its full size.
        for (int i = 0; i < 4; i++)
        {
            var reports = progress.Where(p => p.Url.EndsWith(DatasetCatalog.IdxFileNames[i] + ".gz", StringComparison.Ordinal)).ToArray();
            Assert.Equal(0, reports[0].BytesReceived);
            Assert.Equal(fake.Gz[i].Length, reports[^1].BytesReceived);
            Assert.Equal(1.0, reports[^1].Fraction);
            Assert.All(reports, r => Assert.StartsWith(server.BaseUrl, r.Url));
        }
        // Cached: a second load asks nothing.
        m.Load("mnist");
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public void ATruncatedFileIsNeverUsedAndTheNextMirrorIsTried()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "short/", server.BaseUrl + "good/"]);
        // The first mirror holds truncated files: complete transfers of too few bytes (a valid Content-Length).
        fake.Serve(server, "short", (_, gz) => new LoopbackHttpServer.Answer(gz[..(gz.Length * 2 / 3)]));
        fake.Serve(server, "good");
        using var cache = new TempFolder();
        var log = new List<string>();

        Assert.Equal(Path.Combine(cache.Path, "mnist"), Manager(cache.Path, fake, log: log).Fetch("mnist"));

        Assert.Equal(CachedFiles, cache.Files());
        Assert.Equal(8, server.Requests.Count);
        Assert.All(DatasetCatalog.IdxFileNames, f => Assert.Equal(DatasetManager.HashDecompressed(Path.Combine(cache.Path, "mnist", f + ".gz")),
            fake.Info.Files.Single(x => x.FileName == f).Sha256));
    }

    [Fact]
    public void TruncatedFilesEverywhereGiveOneLineAndLeaveNothing()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "a/", server.BaseUrl + "b/"]);
        fake.Serve(server, "a", (_, gz) => new LoopbackHttpServer.Answer(gz[..(gz.Length / 2)]));
        fake.Serve(server, "b", (_, gz) => new LoopbackHttpServer.Answer(gz[..(gz.Length - 20)]));
        using var cache = new TempFolder();

        var e = Assert.Throws<DataFormatException>(() => Manager(cache.Path, fake).Load("mnist"));

        Assert.StartsWith("mnist: dataset files not found (train-images-idx3-ubyte[.gz], ", e.Message);
        // A cut gzip stream decompresses to fewer bytes without complaint: the hash is what refuses it.
        string expected = fake.Info.Files[0].Sha256;
        Assert.Matches($@"the download failed: {Regex.Escape(server.BaseUrl)}a/train-images-idx3-ubyte\.gz: SHA-256 of the decompressed bytes is [0-9a-f]{{64}}, expected {expected} \(truncated, corrupt or a different file; not kept\); ", e.Message);
        Assert.Contains($"; {server.BaseUrl}b/train-images-idx3-ubyte.gz: SHA-256 of the decompressed bytes is ", e.Message);
        Assert.Contains("To provide them: put the files in DIR/mnist/ and pass --data-dir DIR or set SCRATCHNET_DATA=DIR", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void AWrongFileIsRefusedByItsHashAndTheNextMirrorIsTried()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "other/", server.BaseUrl + "good/"]);
        // A valid gzip of other bytes (another dataset, or a mirror's changed copy).
        fake.Serve(server, "other", (i, _) => new LoopbackHttpServer.Answer(IdxReaderTests.Gzip(IdxReaderTests.Idx(0x08, [2], 2))));
        fake.Serve(server, "good");
        using var cache = new TempFolder();

        Assert.Equal(2, Manager(cache.Path, fake).Load("mnist").Test.Count);
        Assert.Equal(CachedFiles, cache.Files());

        // With the good mirror gone too, nothing is cached and the one line says why for each mirror.
        using var empty = new TempFolder();
        var wrongOnly = FakeMnist.Create([server.BaseUrl + "other/", server.BaseUrl + "missing/"]);
        var e = Assert.Throws<DataFormatException>(() => Manager(empty.Path, wrongOnly).Fetch("mnist"));
        Assert.Contains($"{server.BaseUrl}other/train-images-idx3-ubyte.gz: SHA-256 of the decompressed bytes is ", e.Message);
        Assert.Contains($"expected {fake.Info.Files[0].Sha256} (truncated, corrupt or a different file; not kept)", e.Message);
        Assert.Contains($"{server.BaseUrl}missing/train-images-idx3-ubyte.gz: Response status code does not indicate success: 404 (Not Found)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(empty.Files());
    }

    [Fact]
    public void AnInterruptedTransferIsResumedWithARange()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "mnist/"]);
        long cut = fake.Gz[0].Length / 3;
        // The first answer for the training images stops after a third of the bytes (the full size announced).
        fake.Serve(server, "mnist", (i, gz) => new LoopbackHttpServer.Answer(gz, CutAfter: i == 0 ? cut : null, Cuts: 1));
        using var cache = new TempFolder();
        var log = new List<string>();

        Assert.Equal(3, Manager(cache.Path, fake, log: log).Load("mnist").Train.Count);

        var images = server.Requests.Where(r => r.Path == "mnist/train-images-idx3-ubyte.gz").ToArray();
        Assert.Equal([null, $"bytes={cut}-"], images.Select(r => r.Range));
        Assert.Contains(log, l => l.Contains($"interrupted at {cut:N0} bytes", StringComparison.Ordinal));
        Assert.Contains(log, l => l == $"downloading {server.BaseUrl}mnist/train-images-idx3-ubyte.gz (resuming at {cut:N0} bytes)");
        Assert.Equal(CachedFiles, cache.Files());
    }

    [Fact]
    public void APartLeftByAnInterruptionIsNeverUsedAndALaterCallResumesIt()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "mnist/"]);
        long cut = fake.Gz[0].Length / 2;
        // The connection drops at the same byte twice: the resume brings nothing, and this call gives up.
        fake.Serve(server, "mnist");
        server.Files["mnist/train-images-idx3-ubyte.gz"] = new LoopbackHttpServer.Answer(fake.Gz[0], CutAfter: cut, Cuts: 2);
        using var cache = new TempFolder();
        var m = Manager(cache.Path, fake);

        var e = Assert.Throws<DataFormatException>(() => m.Fetch("mnist"));
        Assert.Contains($"the download failed: {server.BaseUrl}mnist/train-images-idx3-ubyte.gz: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        // Only the part is left, under a name no search takes for data.
        string part = Assert.Single(cache.Files());
        Assert.Matches(@"^mnist/train-images-idx3-ubyte\.gz\.[0-9a-f]{8}\.part$", part);
        Assert.Equal(cut, new FileInfo(Path.Combine(cache.Path, part)).Length);
        Assert.Null(m.Locate(fake.Info));
        Assert.False(m.Status(fake.Info).Available);

        // Next time the connection holds: the download continues from the part's end.
        Assert.Equal(2, m.Load("mnist").Test.Count);
        Assert.Equal($"bytes={cut}-", server.Requests.Last(r => r.Path == "mnist/train-images-idx3-ubyte.gz").Range);
        Assert.Equal(CachedFiles, cache.Files());
    }

    [Fact]
    public void AServerThatIgnoresTheRangeGivesTheWholeFileAgain()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "mnist/"]);
        long cut = fake.Gz[0].Length / 2;
        fake.Serve(server, "mnist");
        server.Files["mnist/train-images-idx3-ubyte.gz"] = new LoopbackHttpServer.Answer(fake.Gz[0], CutAfter: cut, Cuts: 1, IgnoreRange: true);
        using var cache = new TempFolder();

        Assert.Equal(3, Manager(cache.Path, fake).Load("mnist").Train.Count);
        Assert.Equal(CachedFiles, cache.Files());
    }

    [Fact]
    public void APartLongerThanTheFileIsDiscardedAndTheFileFetchedWhole()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "mnist/"]);
        fake.Serve(server, "mnist");
        using var cache = new TempFolder();
        var m = Manager(cache.Path, fake);
        m.Fetch("mnist");
        // A part from an older copy of the file, longer than the file now: the server answers 416.
        string final = Path.Combine(cache.Path, "mnist", "train-images-idx3-ubyte.gz");
        File.Delete(final);
        string partPath = PartOf(cache.Path, server.BaseUrl + "mnist/train-images-idx3-ubyte.gz");
        File.WriteAllBytes(partPath, new byte[fake.Gz[0].Length + 100]);

        Assert.Equal(3, m.Load("mnist").Train.Count);

        var images = server.Requests.Where(r => r.Path == "mnist/train-images-idx3-ubyte.gz").Select(r => r.Range);
        Assert.Equal([null, $"bytes={fake.Gz[0].Length + 100}-", null], images);
        Assert.Equal(CachedFiles, cache.Files());
    }

    /// <summary>The part file the manager uses for <paramref name="url"/> (its name is the URL's SHA-256, 8 hex digits).</summary>
    private static string PartOf(string cache, string url) =>
        Path.Combine(cache, "mnist", $"train-images-idx3-ubyte.gz.{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url)))[..8]}.part");

    [Fact]
    public void ADownloadAnnouncedBeyondTheLimitIsRefusedBeforeAnyByte()
    {
        using var server = new LoopbackHttpServer();
        var fake = FakeMnist.Create([server.BaseUrl + "huge/"]);
        fake.Serve(server, "huge", (_, gz) => new LoopbackHttpServer.Answer(gz, AnnouncedLength: Limits.MaxDownloadBytes + 1, CutAfter: 0));
        using var cache = new TempFolder();

        var e = Assert.Throws<DataFormatException>(() => Manager(cache.Path, fake).Fetch("mnist"));

        Assert.Contains($"{server.BaseUrl}huge/train-images-idx3-ubyte.gz: the server announces 1,073,741,825 bytes, more than the 1,073,741,824 a download may take", e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void OfflineTheOneLineSaysWhereItLookedAndWhereToPutTheFiles()
    {
        string first = LoopbackHttpServer.DeadUrl() + "mnist/", second = LoopbackHttpServer.DeadUrl() + "mnist/";
        var fake = FakeMnist.Create([first, second]);
        using var cache = new TempFolder();

        var e = Assert.Throws<DataFormatException>(() => Manager(cache.Path, fake).Load("mnist"));

        Assert.StartsWith("mnist: dataset files not found (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]); looked in ", e.Message);
        Assert.Contains(Path.Combine(cache.Path, "mnist"), e.Message);
        Assert.Contains($"the download failed: {first}train-images-idx3-ubyte.gz: Connection refused", e.Message);
        Assert.Contains($"; {second}train-images-idx3-ubyte.gz: Connection refused", e.Message);
        Assert.EndsWith($"To provide them: put the files in DIR/mnist/ and pass --data-dir DIR or set SCRATCHNET_DATA=DIR, or download them from {first} or {second} into {Path.Combine(cache.Path, "mnist")}.", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void TheRealCatalogHasTwoMirrorsForEachDownloadableSet()
    {
        Assert.Equal(2, DatasetCatalog.Mnist.DownloadMirrors.Count);
        Assert.Equal(2, DatasetCatalog.FashionMnist.DownloadMirrors.Count);
        Assert.All(DatasetCatalog.Mnist.DownloadMirrors.Concat(DatasetCatalog.FashionMnist.DownloadMirrors), u => Assert.EndsWith("/", u));
    }
}
