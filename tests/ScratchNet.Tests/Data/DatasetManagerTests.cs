using System.Net;
using System.Security.Cryptography;
using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Data;

public class DatasetManagerTests
{
    private const string SharedFashion = "/work/shared/data/fashion-mnist";

    /// <summary>
    /// A manager that sees no environment, no system folders and no network, and checks the files of the
    /// datasets in <paramref name="catalog"/> against those entries instead of the real catalog's.
    /// </summary>
    private static DatasetManager Isolated(string cache, string? dataDir = null, IDictionary<string, string>? env = null, HttpMessageHandler? http = null,
        IReadOnlyList<string>? systemDirs = null, IReadOnlyList<DatasetInfo>? catalog = null) =>
        new(new DatasetManagerOptions
        {
            DataDir = dataDir,
            CacheDir = cache,
            SystemDataDirs = systemDirs ?? [],
            AllowDownload = http != null,
            HttpHandler = http,
            GetEnvironment = k => env != null && env.TryGetValue(k, out var v) ? v : null,
            CatalogOverrides = catalog ?? [],
        });

    [Fact]
    public void MnistLoadsFromTheRepositoryAndConvertsOneBatch()
    {
        using var cache = new TempFolder();
        var data = Isolated(cache.Path).Load("mnist");
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal([784], data.Train.SampleShape);
        Assert.Equal(10, data.Train.ClassCount);
        var images = (ImageDataset)data.Train;
        // The first training label of MNIST is 5 and the first test label is 7 (well known).
        Assert.Equal(5, images.Label(0));
        Assert.Equal(7, ((ImageDataset)data.Test).Label(0));

        var x = new Tensor(2, 784);
        var y = new Tensor(2);
        data.Train.CopyBatch([0, 59999], x, y);
        Assert.Equal(5f, y[0]);
        for (int r = 0; r < 2; r++)
        {
            var pixels = images.Pixels(r == 0 ? 0 : 59999);
            for (int j = 0; j < 784; j++) Assert.Equal(BitConverter.SingleToInt32Bits(pixels[j] / 255f), BitConverter.SingleToInt32Bits(x[r, j]));
        }
        Assert.InRange(x.Span.ToArray().Max(), 0.99f, 1f);
    }

    [Fact]
    public void ChannelsFirstGivesImageShape()
    {
        using var cache = new TempFolder();
        var (train, _) = Isolated(cache.Path).Load("mnist", new DatasetLoadOptions { ChannelsFirst = true });
        Assert.Equal([1, 28, 28], train.SampleShape);
        var x = new Tensor(1, 1, 28, 28);
        train.CopyBatch([3], x, new Tensor(1));
    }

    [Fact]
    public void VerifyChecksEveryMnistFile()
    {
        using var cache = new TempFolder();
        var results = Isolated(cache.Path).Verify("mnist");
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r.Ok, r.Path));
    }

    [Fact]
    public void HashMismatchIsReported()
    {
        using var dir = new TempFolder();
        string mnist = Path.Combine(dir.Path, "mnist");
        Directory.CreateDirectory(mnist);
        foreach (var f in Directory.GetFiles(Path.Combine(TempFolder.RepoData, "mnist"))) File.Copy(f, Path.Combine(mnist, Path.GetFileName(f)));
        // A valid IDX label file with one label changed.
        var labels = IdxReader.Read(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"));
        labels.Data[0] = 1;
        var raw = IdxReaderTests.Idx(0x08, [10000], 0);
        File.WriteAllBytes(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"), IdxReaderTests.Gzip([.. raw, .. labels.Data]));
        var e = Assert.Throws<DataFormatException>(() => Isolated(dir.Path, dataDir: dir.Path).Load("mnist"));
        Assert.Contains("t10k-labels-idx1-ubyte.gz: SHA-256 of the decompressed bytes is", e.Message);
        Assert.Contains("expected ff7bcfd4", e.Message);
    }

    [Fact]
    public void FashionMnistOfflineErrorSaysWhereItLookedAndWhatToDo()
    {
        using var cache = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => Isolated(cache.Path, env: new Dictionary<string, string> { ["SCRATCHNET_DATA"] = "/nowhere" }).Load("fashion-mnist"));
        Assert.StartsWith("fashion-mnist: dataset files not found (train-images-idx3-ubyte[.gz]", e.Message);
        Assert.Contains("/nowhere/fashion-mnist", e.Message);
        Assert.Contains(Path.Combine(cache.Path, "fashion-mnist"), e.Message);
        Assert.Contains("--data-dir", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void FashionMnistFoundThroughTheEnvironment()
    {
        using var dir = new TempFolder();
        string root = Path.Combine(dir.Path, "shared");
        var fake = FakeFashion.WriteTo(Path.Combine(root, "fashion-mnist"));
        var env = new Dictionary<string, string> { ["SCRATCHNET_DATA"] = root };
        var m = Isolated(Path.Combine(dir.Path, "cache"), env: env, catalog: [fake.Info]);
        var data = m.Load("fashion-mnist");
        Assert.Equal(3, data.Train.Count);
        Assert.Equal(2, data.Test.Count);
        Assert.Equal("Ankle boot", data.Train.ClassNames[9]);
        var train = (ImageDataset)data.Train;
        Assert.Equal(FakeFashion.TrainLabels, Enumerable.Range(0, 3).Select(i => (byte)train.Label(i)));
        Assert.Equal(FakeFashion.Image(1), train.Pixels(1).ToArray());
        Assert.Equal(Path.Combine(root, "fashion-mnist"), m.Fetch("fashion-mnist"));
        // The real catalog rejects the same files: the size (then hash) check is on, the entry above is what passes them.
        var e = Assert.Throws<DataFormatException>(() => Isolated(Path.Combine(dir.Path, "cache"), env: env).Load("fashion-mnist"));
        Assert.Matches(@"its dimensions [0-9 x]+ describe [0-9,]+ bytes, but the catalog gives this file [0-9,]+ bytes \(corrupt or a different file\)", e.Message);
    }

    [Fact]
    public void FashionMnistFoundInDebiansFolder()
    {
        // Debian's dataset-fashion-mnist installs into /usr/share/datasets/fashion-mnist, the default
        // system folder; a made-up copy in another system folder stands for it here.
        Assert.Equal(["/usr/share/datasets"], new DatasetManagerOptions().SystemDataDirs);
        using var dir = new TempFolder();
        string system = Path.Combine(dir.Path, "usr-share-datasets");
        var fake = FakeFashion.WriteTo(Path.Combine(system, "fashion-mnist"));
        var m = Isolated(Path.Combine(dir.Path, "cache"), systemDirs: [system], catalog: [fake.Info]);
        Assert.Equal(Path.Combine(system, "fashion-mnist"), m.Fetch("fashion-mnist"));
        var verified = m.Verify("fashion-mnist");
        Assert.Equal(4, verified.Count);
        Assert.All(verified, r => Assert.True(r.Ok, r.Path));
    }

    [Fact]
    public void SearchOrderIsDataDirThenEnvironmentThenCacheThenSystemFolders()
    {
        using var dir = new TempFolder();
        string dataDir = Path.Combine(dir.Path, "data-dir"), env = Path.Combine(dir.Path, "env"), cache = Path.Combine(dir.Path, "cache"), system = Path.Combine(dir.Path, "system");
        string[] places = [Path.Combine(dataDir, "fashion-mnist"), Path.Combine(env, "fashion-mnist"), Path.Combine(cache, "fashion-mnist"), Path.Combine(system, "fashion-mnist")];
        DatasetInfo info = null!;
        foreach (string place in places) info = FakeFashion.WriteTo(place).Info;
        var m = Isolated(cache, dataDir: dataDir, env: new Dictionary<string, string> { ["SCRATCHNET_DATA"] = env }, systemDirs: [system], catalog: [info]);
        foreach (string place in places)
        {
            Assert.Equal(place, m.Fetch("fashion-mnist"));
            Directory.Delete(place, recursive: true);
        }
        Assert.Throws<DataFormatException>(() => m.Fetch("fashion-mnist"));
    }

    [Fact]
    public void FashionMnistDownloadIsVerifiedThenCached()
    {
        using var dir = new TempFolder();
        string served = Path.Combine(dir.Path, "server");
        var fake = FakeFashion.WriteTo(served);
        using var cache = new TempFolder();
        var handler = new FileServer(served);
        var m = Isolated(cache.Path, http: handler, catalog: [fake.Info]);
        string? fetched = m.Fetch("fashion-mnist");
        Assert.Equal(Path.Combine(cache.Path, "fashion-mnist"), fetched);
        Assert.Equal(4, handler.Requests);
        Assert.Equal(["fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz", "fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz"], cache.Files());
        m.Fetch("fashion-mnist");
        Assert.Equal(4, handler.Requests); // cached: no second download
        Assert.Equal(FakeFashion.TestLabels, Enumerable.Range(0, 2).Select(i => (byte)((ImageDataset)m.Load("fashion-mnist").Test).Label(i)));
        Assert.Equal(4, handler.Requests);
    }

    [FashionMnistCopyFact(SharedFashion, "the real files are only on machines with the shared data folder")]
    public void RealFashionMnistCopyMatchesTheCatalog()
    {
        using var cache = new TempFolder();
        var m = Isolated(cache.Path, env: new Dictionary<string, string> { ["SCRATCHNET_DATA"] = Path.GetDirectoryName(SharedFashion)! });
        var data = m.Load("fashion-mnist");
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal(SharedFashion, m.Fetch("fashion-mnist"));
    }

    [FashionMnistCopyFact("/usr/share/datasets/fashion-mnist", "apt-get install dataset-fashion-mnist")]
    public void RealDebianFashionMnistIsFoundByDefaultAndMatchesTheCatalog()
    {
        using var cache = new TempFolder();
        var m = new DatasetManager(new DatasetManagerOptions { CacheDir = cache.Path, AllowDownload = false, GetEnvironment = _ => null });
        Assert.Equal("/usr/share/datasets/fashion-mnist", m.Fetch("fashion-mnist"));
        Assert.All(m.Verify("fashion-mnist"), r => Assert.True(r.Ok, r.Path));
    }

    [Fact]
    public void CorruptDownloadLeavesNothingBehind()
    {
        using var cache = new TempFolder();
        var handler = new FileServer(null); // serves a valid gzip of the wrong bytes
        var e = Assert.Throws<DataFormatException>(() => Isolated(cache.Path, http: handler).Fetch("fashion-mnist"));
        Assert.Contains("SHA-256 of the decompressed bytes is", e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void FailedDownloadGivesTheNotFoundMessage()
    {
        using var cache = new TempFolder();
        var e = Assert.Throws<DataFormatException>(() => Isolated(cache.Path, http: new FileServer(null, HttpStatusCode.NotFound)).Fetch("fashion-mnist"));
        Assert.Contains("dataset files not found", e.Message);
        Assert.Contains("the download failed", e.Message);
        Assert.Contains("404", e.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void StatusSaysWhatIsAvailable()
    {
        using var cache = new TempFolder();
        var status = Isolated(cache.Path).Status();
        Assert.Equal(14, status.Count);
        Assert.True(status.Single(s => s.Info.Name == "mnist").Available);
        Assert.True(status.Single(s => s.Info.Name == "moons").Available);
        Assert.False(status.Single(s => s.Info.Name == "fashion-mnist").Available);
        Assert.EndsWith(Path.Combine("data", "mnist"), status.Single(s => s.Info.Name == "mnist").Location);
        Assert.EndsWith("data", status.Single(s => s.Info.Name == "tv-marketing").Location);
        Assert.EndsWith(Path.Combine("data", "tables"), status.Single(s => s.Info.Name == "ames").Location);
        Assert.EndsWith(Path.Combine("data", "tables"), status.Single(s => s.Info.Name == "churn").Location);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<DataFormatException>(() => new DatasetManager().Info("cifar"));
        Assert.Equal("cifar: unknown dataset; known: mnist, fashion-mnist, tv-marketing, advertising, ames, churn, names, tiny-shakespeare, xor, circles, moons, spirals, gaussians, xor-table, or a path to a .csv or .txt file", e.Message);
    }

    [Fact]
    public void TvMarketingIsARegressionOnTv()
    {
        var data = new DatasetManager().Load("tv-marketing", new DatasetLoadOptions { TestFraction = 0 });
        Assert.Equal(200, data.Train.Count);
        Assert.Equal(0, data.Train.ClassCount);
        Assert.Equal(["TV"], data.FeatureNames);
        Assert.Equal("Sales", data.TargetName);
        var t = (InMemoryDataset)data.Train;
        Assert.Equal(230.1f, t.Features[0, 0]);
        Assert.Equal(22.1f, t.Targets[0, 0]);
        // Golden: OLS gives Sales = 7.0326 + 0.047537 TV.
        double sx = 0, sy = 0, sxx = 0, sxy = 0; int n = 200;
        for (int i = 0; i < n; i++) { double x = t.Features[i, 0], y = t.Targets[i, 0]; sx += x; sy += y; sxx += x * x; sxy += x * y; }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), icpt = (sy - slope * sx) / n;
        Assert.Equal(0.047537, slope, 5);
        Assert.Equal(7.0326, icpt, 3);
    }

    [Fact]
    public void AdvertisingDropsTheRowNumber()
    {
        var data = new DatasetManager().Load("advertising", new DatasetLoadOptions { Standardize = StandardizeMode.ZScore });
        Assert.Equal(["TV", "radio", "newspaper"], data.FeatureNames);
        Assert.Equal(160, data.Train.Count);
        Assert.Equal(40, data.Test.Count);
        Assert.NotNull(data.Standardizer);
        // Fitted on the training split: its columns now have mean 0.
        var f = ((InMemoryDataset)data.Train).Features;
        for (int j = 0; j < 3; j++)
        {
            double s = 0;
            for (int i = 0; i < f.Rows; i++) s += f[i, j];
            Assert.InRange(s / f.Rows, -1e-5, 1e-5);
        }
    }

    /// <summary>
    /// A made-up Fashion-MNIST: 3 training and 2 test images of 28 x 28 in the four gzipped IDX files,
    /// and the real catalog entry (name, classes, download address) with these files' hashes.
    /// </summary>
    private sealed record FakeFashion(DatasetInfo Info)
    {
        public static readonly byte[] TrainLabels = [9, 0, 3], TestLabels = [1, 9];

        /// <summary>Image <paramref name="index"/> of the training images then the test images.</summary>
        public static byte[] Image(int index) => [.. Enumerable.Range(0, 784).Select(k => (byte)((k * (index + 3) + index) % 256))];

        public static FakeFashion WriteTo(string folder)
        {
            Directory.CreateDirectory(folder);
            byte[][] raw =
            [
                [.. IdxReaderTests.Idx(0x08, [3, 28, 28], 0), .. Image(0), .. Image(1), .. Image(2)],
                [.. IdxReaderTests.Idx(0x08, [3], 0), .. TrainLabels],
                [.. IdxReaderTests.Idx(0x08, [2, 28, 28], 0), .. Image(3), .. Image(4)],
                [.. IdxReaderTests.Idx(0x08, [2], 0), .. TestLabels],
            ];
            var files = new DataFileInfo[4];
            for (int i = 0; i < 4; i++)
            {
                string name = DatasetCatalog.IdxFileNames[i];
                File.WriteAllBytes(Path.Combine(folder, name + ".gz"), IdxReaderTests.Gzip(raw[i]));
                files[i] = new DataFileInfo(name, Convert.ToHexStringLower(SHA256.HashData(raw[i])));
            }
            return new FakeFashion(DatasetCatalog.FashionMnist with { Files = files });
        }
    }

    /// <summary>A fact skipped, with the reason, when a folder holds no copy of the four real Fashion-MNIST files.</summary>
    private sealed class FashionMnistCopyFactAttribute : FactAttribute
    {
        public FashionMnistCopyFactAttribute(string folder, string howToGetIt)
        {
            if (!DatasetCatalog.IdxFileNames.All(f => DataFiles.FindFile(folder, f) != null))
                Skip = $"no Fashion-MNIST files in {folder} ({howToGetIt}); the made-up copies in the other tests run the same code";
        }
    }

    /// <summary>Serves files from a folder (or wrong bytes when null) and counts requests.</summary>
    private sealed class FileServer(string? folder, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            if (status != HttpStatusCode.OK) return Task.FromResult(new HttpResponseMessage(status));
            byte[] body = folder == null
                ? IdxReaderTests.Gzip(IdxReaderTests.Idx(0x08, [2], 2))
                : File.ReadAllBytes(Path.Combine(folder, Path.GetFileName(request.RequestUri!.AbsolutePath)));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
        }
    }
}
