using System.Net;
using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Data;

public class DatasetManagerTests
{
    private const string SharedFashion = "/work/shared/data/fashion-mnist";

    /// <summary>A manager that sees no environment, no system folders and no network.</summary>
    private static DatasetManager Isolated(string cache, string? dataDir = null, IDictionary<string, string>? env = null, HttpMessageHandler? http = null) =>
        new(new DatasetManagerOptions
        {
            DataDir = dataDir,
            CacheDir = cache,
            SystemDataDirs = [],
            AllowDownload = http != null,
            HttpHandler = http,
            GetEnvironment = k => env != null && env.TryGetValue(k, out var v) ? v : null,
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
        if (!Directory.Exists(SharedFashion)) return; // only on machines that have a copy
        using var cache = new TempFolder();
        var m = Isolated(cache.Path, env: new Dictionary<string, string> { ["SCRATCHNET_DATA"] = Path.GetDirectoryName(SharedFashion)! });
        var data = m.Load("fashion-mnist");
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal("Ankle boot", data.Train.ClassNames[9]);
        Assert.Equal(SharedFashion, m.Fetch("fashion-mnist"));
    }

    [Fact]
    public void FashionMnistFoundInDebiansFolder()
    {
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist")) return; // apt-get install dataset-fashion-mnist
        using var cache = new TempFolder();
        var m = new DatasetManager(new DatasetManagerOptions { CacheDir = cache.Path, AllowDownload = false, GetEnvironment = _ => null });
        Assert.Equal("/usr/share/datasets/fashion-mnist", m.Fetch("fashion-mnist"));
        Assert.All(m.Verify("fashion-mnist"), r => Assert.True(r.Ok, r.Path));
    }

    [Fact]
    public void FashionMnistDownloadIsVerifiedThenCached()
    {
        if (!Directory.Exists(SharedFashion)) return;
        using var cache = new TempFolder();
        var handler = new FileServer(SharedFashion);
        var m = Isolated(cache.Path, http: handler);
        string? dir = m.Fetch("fashion-mnist");
        Assert.Equal(Path.Combine(cache.Path, "fashion-mnist"), dir);
        Assert.Equal(4, handler.Requests);
        Assert.Equal(["fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz", "fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz"], cache.Files());
        m.Fetch("fashion-mnist");
        Assert.Equal(4, handler.Requests); // cached: no second download
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
        Assert.Equal(10, status.Count);
        Assert.True(status.Single(s => s.Info.Name == "mnist").Available);
        Assert.True(status.Single(s => s.Info.Name == "moons").Available);
        Assert.False(status.Single(s => s.Info.Name == "fashion-mnist").Available);
        Assert.EndsWith(Path.Combine("data", "mnist"), status.Single(s => s.Info.Name == "mnist").Location);
        Assert.EndsWith("data", status.Single(s => s.Info.Name == "tv-marketing").Location);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<DataFormatException>(() => new DatasetManager().Info("cifar"));
        Assert.Equal("cifar: unknown dataset; known: mnist, fashion-mnist, tv-marketing, advertising, xor, circles, moons, spirals, gaussians, xor-table, or a path to a .csv file", e.Message);
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
