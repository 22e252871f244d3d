using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using ScratchNet.Data;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Serialization;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Issue 17, first class: an input may make ScratchNet allocate only what it can honestly describe (its
/// size, or a stated cap in <see cref="Limits"/>). Small files that describe gigabytes (a model file of
/// a few hundred bytes with a thousand filters of 30 x 30, a .gz whose header claims 2 GB) and sizes
/// given on the command line (`--layers 100000000`) are refused before allocating, within a measured
/// bound; a CSV file is read in memory that follows the values it holds.
/// </summary>
public class MemoryBombTests
{
    private const long OneMiB = 1L << 20;

    [Fact]
    public void InspectRefusesASmallFileDescribingAThousandFiltersOf30x30()
    {
        using var dir = new TempFolder();
        string path = Refusal.ModelFile(dir, """{"input_shape":[1000,30,30],"layers":[{"type":"Conv2D","settings":{"outChannels":"1000","kernelSize":"30","stride":"1","padding":"0","useBias":"true","weightInit":"HeNormal"}}]}""",
            new Dictionary<string, string> { ["dataset"] = "mnist", ["task"] = "classification" });
        Assert.InRange(new FileInfo(path).Length, 200, 1024);
        var outcome = Refusal.Cli(2, $"{path}: the architecture needs at least 3,600,004,000 bytes of parameters by layer 0 (Conv2D(", 16 * OneMiB, "inspect", path);
        Assert.Contains($"but the file has only {new FileInfo(path).Length:N0} bytes", outcome.Line);
        Refusal.OnlyFiles(dir, "hostile.safetensors");
    }

    /// <summary>Every layer kind says what it will allocate and compute; each architecture is refused before building, in well under a megabyte.</summary>
    [Theory]
    [InlineData("Dense", """{"input_shape":[3],"layers":[{"type":"Dense","settings":{"units":"400000000"}}]}""", "needs at least 6,400,000,000 bytes of parameters by layer 0 (Dense(")]
    [InlineData("Dense after Flatten", """{"input_shape":[1,64,64],"layers":[{"type":"Flatten"},{"type":"Dense","settings":{"units":"100000"}}]}""", "needs at least 1,638,800,000 bytes of parameters by layer 1 (Dense(")]
    [InlineData("BatchNorm", """{"input_shape":[100000000],"layers":[{"type":"BatchNorm"}]}""", "needs at least 1,600,000,000 bytes of parameters by layer 0 (BatchNorm)")]
    [InlineData("BatchNorm2D", """{"input_shape":[100000000,1,1],"layers":[{"type":"BatchNorm2D"}]}""", "needs at least 1,600,000,000 bytes of parameters by layer 0 (BatchNorm2D)")]
    [InlineData("Conv2D padding", """{"input_shape":[1,28,28],"layers":[{"type":"Conv2D","settings":{"outChannels":"1","kernelSize":"1","padding":"100000"}}]}""", "the architecture produces 40,011,201,568 values per sample by layer 0 (Conv2D(")]
    [InlineData("Conv2D padding near int.MaxValue", """{"input_shape":[1,28,28],"layers":[{"type":"Conv2D","settings":{"outChannels":"1","kernelSize":"1","padding":"2000000000"}}]}""", "padding 2000000000 makes input (1, 28, 28) larger than an array can hold")]
    [InlineData("MaxPool2D", """{"input_shape":[1,1800,1800],"layers":[{"type":"MaxPool2D","settings":{"size":"1500","stride":"1"}}]}""", "the architecture takes 203,852,250,000 multiply-adds per sample by layer 0 (MaxPool2D(")]
    [InlineData("AvgPool2D", """{"input_shape":[1,1800,1800],"layers":[{"type":"AvgPool2D","settings":{"size":"1500","stride":"1"}}]}""", "multiply-adds per sample by layer 0 (AvgPool2D(")]
    [InlineData("RandomShift2D", """{"input_shape":[1,3000,3000],"layers":[{"type":"RandomShift2D","settings":{"maxShift":"2"}}]}""", "the architecture produces 18,000,000 values per sample by layer 0 (RandomShift2D(")]
    [InlineData("GlobalAveragePool", """{"input_shape":[1,4096,4096],"layers":[{"type":"GlobalAveragePool"}]}""", "the architecture produces 16,777,217 values per sample by layer 0 (GlobalAveragePool)")]
    [InlineData("a deep stack of activations", """{"input_shape":[1000000],"layers":[{"type":"ReLU"},{"type":"Tanh"},{"type":"Sigmoid"},{"type":"GELU"}]}""", "values per sample by layer 3 (GELU)")]
    [InlineData("Flatten of an overflowing shape", """{"input_shape":[46341,46341],"layers":[{"type":"Flatten"}]}""", "Flatten: input (46341, 46341) has more values than an array can hold")]
    [InlineData("an input shape whose product overflows 64 bits", """{"input_shape":[2147483647,2147483647,2147483647,2147483647],"layers":[{"type":"ReLU"}]}""", "produces more than 2^63 values per sample by layer 0 (ReLU)")]
    [InlineData("Embedding", """{"input_shape":[8],"layers":[{"type":"Embedding","settings":{"vocabulary":"16000000","dimensions":"4096"}}]}""", "needs at least 262,144,000,000 bytes of parameters by layer 0 (Embedding(")]
    [InlineData("PositionalEmbedding", """{"input_shape":[8,60000],"layers":[{"type":"PositionalEmbedding","settings":{"contextLength":"65536"}}]}""", "needs at least 15,728,640,000 bytes of parameters by layer 0 (PositionalEmbedding(")]
    [InlineData("LayerNorm", """{"input_shape":[100000000],"layers":[{"type":"LayerNorm"}]}""", "needs at least 800,000,000 bytes of parameters by layer 0 (LayerNorm)")]
    [InlineData("CausalSelfAttention", """{"input_shape":[60000,64],"layers":[{"type":"CausalSelfAttention","settings":{"heads":"1"}}]}""", "needs at least 66,560 bytes of parameters by layer 0 (CausalSelfAttention(heads=1)) but the file has only")]
    [InlineData("TransformerBlock", """{"input_shape":[8,65536],"layers":[{"type":"TransformerBlock","settings":{"heads":"1"}}]}""", "needs at least 206,161,838,080 bytes of parameters by layer 0 (TransformerBlock(")]
    [InlineData("too many layers", """{"input_shape":[2],"layers":[REPEAT]}""", "the architecture lists 2,000 layers (at most 1,024)")]
    [InlineData("too high a rank", """{"input_shape":[1,1,1,1,1,1,1,1,1],"layers":[]}""", "input_shape must be an array of 1 to 8 dimensions")]
    public void EveryLayerKindIsMeasuredBeforeBuilding(string what, string architecture, string expected)
    {
        using var dir = new TempFolder();
        architecture = architecture.Replace("REPEAT", string.Join(",", Enumerable.Repeat("""{"type":"ReLU"}""", 2000)));
        string path = Refusal.ModelFile(dir, architecture);
        var e = Refusal.Library<ModelFileException>(expected, 2 * OneMiB + 4 * new FileInfo(path).Length, () => ModelFile.Load(path));
        Assert.True(e.Message.StartsWith(path + ": ", StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void ACheckpointsArchitectureIsMeasuredBeforeBuilding()
    {
        using var dir = new TempFolder();
        Checkpoint.Save(dir.Path, CheckpointState.Capture(TestModels.Mlp(), null, null, 1, metadata: new ModelMetadata { Dataset = "moons", Task = "classification" }));
        string path = dir.File(Checkpoint.FileName);
        var content = SafeTensorsFile.Read(path);
        var meta = new Dictionary<string, string>(content.Metadata)
        {
            ["model.architecture"] = """{"input_shape":[1000,30,30],"layers":[{"type":"Conv2D","settings":{"outChannels":"1000","kernelSize":"30"}}]}""",
        };
        SafeTensorsFile.Write(path, content.Tensors, meta);
        Refusal.Library<ModelFileException>("the architecture needs at least 3,600,004,000 bytes of parameters by layer 0 (Conv2D(", 4 * OneMiB,
            () => Checkpoint.Load(path).BuildModel(path));
        Refusal.Cli(2, "the architecture needs at least 3,600,004,000 bytes of parameters", 16 * OneMiB, "inspect", path);
        Refusal.OnlyFiles(dir, Checkpoint.FileName);
    }

    /// <summary>A gzip IDX file whose header claims 2 GB: refused after its 12-byte header, not inflated.</summary>
    [Fact]
    public void AnIdxBombIsRefusedAfterItsHeader()
    {
        using var dir = new TempFolder();
        string path = dir.File("bomb-idx1-ubyte.gz");
        File.WriteAllBytes(path, Gzip(IdxReaderTests.Idx(0x08, [2_000_000, 1000], 0), zeros: 8 * OneMiB));
        Assert.True(new FileInfo(path).Length < 64 * 1024);
        Refusal.Library<DataFormatException>($"{path}: its dimensions 2000000 x 1000 describe 2,000,000,012 bytes, more than the limit of 1,073,741,824 (Limits.MaxDecompressedBytes)",
            OneMiB, () => IdxReader.Read(path));
    }

    /// <summary>Without a catalog size, a header's claim is not allocated: the buffer grows only as data arrives.</summary>
    [Fact]
    public void AnIdxBufferFollowsTheDataNotTheHeader()
    {
        using var dir = new TempFolder();
        string path = dir.File("short-idx3-ubyte.gz");
        File.WriteAllBytes(path, Gzip(IdxReaderTests.Idx(0x08, [500, 1000, 1000], 0), zeros: 2 * OneMiB));
        Refusal.Library<DataFormatException>("its dimensions 500 x 1000 x 1000 need 500,000,000 data bytes but only 2,097,152 follow the header", 12 * OneMiB, () => IdxReader.Read(path));
    }

    /// <summary>Decompression for hashing (and CSV .gz) stops at the cap: here a 64 KiB cap on 8 MiB of zeros.</summary>
    [Fact]
    public void DecompressionStopsAtItsCap()
    {
        var gz = new MemoryStream(Gzip([], zeros: 8 * OneMiB));
        using var bounded = new BoundedReadStream(new GZipStream(gz, CompressionMode.Decompress), 64 * 1024, "x.gz", "the decompressed data");
        var buffer = new byte[16 * 1024];
        long total = 0;
        var e = Assert.Throws<DataFormatException>(() => { while (true) { int n = bounded.Read(buffer); if (n == 0) break; total += n; } });
        Assert.Equal(64 * 1024, total);
        Assert.Equal("x.gz: the decompressed data is more than 65,536 bytes (the limit; is it a decompression bomb?)", e.Message);
    }

    [Theory]
    [InlineData("--layers 100000000", new[] { "train", "xor", "--layers", "100000000" }, "--layers values must be at most 65,536, got 100,000,000")]
    [InlineData("two huge layers", new[] { "train", "xor", "--layers", "65536,65536" }, "--layers 65536,65536 needs 4,294,967,296 weights between its layers, more than the limit of 268,435,456 parameters")]
    [InlineData("too many layers", new[] { "train", "xor", "--layers", "REPEAT" }, "--layers may list at most 256 numbers, got 300")]
    [InlineData("--samples 1e9", new[] { "train", "moons", "--samples", "1000000000" }, "--samples must be between 1 and 10000000, got '1000000000'")]
    [InlineData("--batch-size", new[] { "train", "moons", "--batch-size", "100000000" }, "--batch-size must be between 1 and 65536, got '100000000'")]
    [InlineData("--epochs", new[] { "train", "moons", "--epochs", "100000000" }, "--epochs must be between 1 and 1000000, got '100000000'")]
    public void SizesGivenOnTheCommandLineAreCapped(string what, string[] args, string expected)
    {
        using var dir = new TempFolder();
        string outDir = dir.File("out");
        args = [.. args.Select(a => a == "REPEAT" ? string.Join(",", Enumerable.Repeat("4", 300)) : a), "--out", outDir];
        var outcome = Refusal.Cli(1, expected, 16 * OneMiB, args);
        Assert.True(outcome.Line.EndsWith("See 'scratchnet train --help' for usage.", StringComparison.Ordinal), what);
        Assert.False(Directory.Exists(outDir), $"{what}: {outDir} was created");
    }

    /// <summary>Widths within the cap can still make a model beyond the parameter limit with a wide table: refused when it is built, before training or writing.</summary>
    [Fact]
    public void AModelBeyondTheParameterLimitIsRefusedBeforeAllocating()
    {
        using var dir = new TempFolder();
        string csv = dir.File("wide.csv");
        var sb = new StringBuilder(string.Join(",", Enumerable.Range(0, 5000).Select(i => $"f{i}")) + ",y\n");
        for (int r = 0; r < 3; r++) sb.Append(string.Join(",", Enumerable.Repeat("1", 5000))).Append(CultureInfo.InvariantCulture, $",{r}.5\n");
        File.WriteAllText(csv, sb.ToString());
        string outDir = dir.File("out");
        Refusal.Cli(1, "The model needs 327,811,073 parameters and buffers for input (5000), more than the limit of 268,435,456 (Limits.MaxParameters)",
            64 * OneMiB, "train", "--dataset", csv, "--layers", "65536", "--out", outDir, "--no-plots", "--plain");
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "files were left in the output folder");
    }

    [Fact]
    public void GeneratedSetsAreCappedInTheLibrary()
    {
        Refusal.Library<DataFormatException>("moons: sample counts must be at most 10,000,000 per split (got 1,000,000,000 training, 250,000,000 test)", 64 * 1024,
            () => new DatasetManager().Load("moons", new DatasetLoadOptions { Count = 1_000_000_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Generate("moons", int.MaxValue, 0.1f, 2, new Rng(1)));
    }

    /// <summary>
    /// A CSV file is streamed: the table keeps its feature values as float32, never the file's text
    /// (neither as one string nor as a string per cell).
    /// </summary>
    [Fact]
    public void ACsvFileIsStreamedInMemoryBelowItsSize()
    {
        using var dir = new TempFolder();
        string path = dir.File("big.csv");
        const int rows = 120_000, features = 9;
        var rng = new Rng(3);
        using (var w = new StreamWriter(path))
        {
            w.WriteLine(string.Join(",", Enumerable.Range(0, features).Select(j => $"x{j}")) + ",price");
            var line = new StringBuilder();
            for (int r = 0; r < rows; r++)
            {
                line.Clear();
                for (int j = 0; j < features; j++) line.Append(CultureInfo.InvariantCulture, $"{rng.NextGaussian():F6},");
                line.Append(CultureInfo.InvariantCulture, $"{rng.NextDouble() * 100:F4}");
                w.WriteLine(line);
            }
        }
        long fileBytes = new FileInfo(path).Length;
        Assert.InRange(fileBytes, 10_000_000, 14_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var data = new DatasetManager().Load(path, new DatasetLoadOptions { TestFraction = 0.2 });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(rows, data.Train.Count + data.Test.Count);
        Assert.Equal("regression", data.Info.Task);
        // What the table needs: its 120,000 x 10 values as float32 twice (read, then split into train and
        // test), 16 bytes of bookkeeping per row (the shuffled split), and 2 MiB of buffers: 13.5 MB, about
        // the file's size, where the file as one UTF-16 string alone would take twice its size.
        long values = (long)rows * (features + 1) * 4, bound = 2 * values + 16L * rows + (2L << 20);
        Assert.True(allocated <= bound, $"allocated {allocated:N0} bytes for a {fileBytes:N0}-byte file ({(double)allocated / rows:F0} bytes per row); the bound is {bound:N0}");
    }

    /// <summary>
    /// The duplicate-column check is linear: five times the columns take about five times as long (a
    /// quadratic check takes 25 times). A ratio of two timings on the same machine, each the fastest of
    /// three, rather than a limit in seconds, so that a busy machine does not fail it.
    /// </summary>
    [Fact]
    public void ADuplicateAmongAHundredThousandColumnsIsFoundInLinearTime()
    {
        using var dir = new TempFolder();
        string path = dir.File("wide.csv");
        var names = Enumerable.Range(0, 100_000).Select(i => $"c{i}").Append("c7").ToArray();
        File.WriteAllText(path, string.Join(",", names) + "\n" + string.Join(",", Enumerable.Repeat("1", names.Length)) + "\n");
        Refusal.Library<DataFormatException>($"{path}: line 1, column 100001: duplicate column name 'c7'", 64 * OneMiB, () => new DatasetManager().Load(path));

        double small = FastestLoad(dir, columns: 20_000), large = FastestLoad(dir, columns: 100_000);
        Assert.True(large < 12 * small, $"100,000 columns took {large * 1e3:F0} ms, 20,000 took {small * 1e3:F0} ms: {large / small:F1} times for 5 times the columns");
    }

    /// <summary>The fastest of three loads of a two-row table with <paramref name="columns"/> distinct columns, in seconds.</summary>
    private static double FastestLoad(TempFolder dir, int columns)
    {
        string path = dir.File($"wide-{columns}.csv");
        var names = Enumerable.Range(0, columns).Select(i => $"c{i}");
        File.WriteAllText(path, string.Join(",", names) + "\n" + string.Join(",", Enumerable.Repeat("1", columns)) + "\n" + string.Join(",", Enumerable.Repeat("2", columns)) + "\n");
        double fastest = double.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long start = Stopwatch.GetTimestamp();
            var data = new DatasetManager().Load(path, new DatasetLoadOptions { TestFraction = 0 });
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(start).TotalSeconds);
            Assert.Equal([columns - 1], data.Train.SampleShape);
        }
        return fastest;
    }

    /// <summary>gzip of <paramref name="head"/> followed by <paramref name="zeros"/> zero bytes (a few kilobytes for megabytes).</summary>
    internal static byte[] Gzip(byte[] head, long zeros)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(head);
            var block = new byte[64 * 1024];
            for (long left = zeros; left > 0; left -= block.Length) gz.Write(block, 0, (int)Math.Min(block.Length, left));
        }
        return ms.ToArray();
    }
}
