using System.Diagnostics;
using System.Text;
using ScratchNet.Cli.Input;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Plotting;
using ScratchNet.Serialization;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Serialization;
using ScratchNet.Training;
using ScratchNet.Training.Presets;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Our own fuzzer: seeded mutations (bit flips, truncations, inserted bytes, hostile header numbers,
/// edits of the JSON metadata and architecture) of valid model files, checkpoints, CSV files, IDX files
/// and images, each run through the real entry points (ModelFile.Load, Checkpoint.Load + BuildModel,
/// IdxReader, DatasetManager on a CSV, GrayImage, and a sample through scratchnet inspect, evaluate,
/// predict and train --resume). Every case must either succeed or be refused with the documented exception (one line that
/// names the file) or exit code 2; never another exception, an internal error (exit 70) or a stack
/// trace; and allocate at most <see cref="AllocationBound"/> plus <see cref="AllocationPerFileByte"/>
/// bytes per byte of the file on the calling thread.
/// </summary>
/// <remarks>
/// A failure names the kind, the case's seed and its mutation: <c>new Mutator(seed)</c> with the same
/// seed gives the same file again. <c>SCRATCHNET_FUZZ_SCALE=N</c> runs N times as many cases (new seeds
/// after the usual ones), for a deeper search than CI's.
/// </remarks>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// What one case may allocate, beyond <see cref="AllocationPerFileByte"/> per byte of its file: 64 MiB
    /// (the largest legitimate case is a mutated dataset name that makes evaluate load MNIST, 55 MB of pixels).
    /// </summary>
    private const long AllocationBound = 64L << 20;

    /// <summary>Allocation allowed per byte of the mutated file (a file's data is read, parsed and copied a few times).</summary>
    private const long AllocationPerFileByte = 64;

    /// <summary>The longest a refusal's message may be, besides the file's name (the exceptions cut quoted text to 1,000 characters, plus a note of the length).</summary>
    private const int MaxMessageLength = 1100;

    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("SCRATCHNET_FUZZ_SCALE"), out int s) && s > 0 ? s : 1;

    private readonly List<string> _failures = [];
    private readonly List<string> _report = [];
    private long _largestAllocation;
    private string _largestAllocationCase = "";
    private double _slowestCase;
    private string _slowestCaseName = "";

    [Fact]
    public void MutatedFilesAreRefusedInOneLineWithBoundedMemory()
    {
        var total = Stopwatch.StartNew();
        using var dir = new TempFolder();
        var seeds = Seeds.Create(dir);
        string model = dir.File("fuzz-model.safetensors"), checkpoint = dir.File("fuzz-checkpoint.safetensors");
        string csv = dir.File("fuzz.csv"), idx = dir.File("fuzz.idx"), image = dir.File("fuzz-image");

        Library("model file (MLP, BatchNorm, Dropout, z-score)", 1000, 1_000_000, model, m => m.SafeTensors(seeds.Mlp), p => ModelFile.Load(p));
        Library("model file (CNN, every conv layer)", 800, 2_000_000, model, m => m.SafeTensors(seeds.Cnn), p => ModelFile.Load(p));
        Library("model file (a circles run)", 400, 3_000_000, model, m => m.SafeTensors(seeds.RunModel), p => ModelFile.Load(p));
        Library("checkpoint (a circles run)", 800, 4_000_000, checkpoint, m => m.SafeTensors(seeds.Checkpoint), p => Checkpoint.Load(p).BuildModel(p));
        Library("CSV file (DatasetManager, options varied)", 1000, 5_000_000, csv, m => Utf8(m.Csv(m.Pick(new[] { seeds.RegressionCsv, seeds.ClassesCsv, seeds.TablesCsv }))), (p, m) =>
        {
            new DatasetManager().Load(p, new DatasetLoadOptions
            {
                TestFraction = m.Pick(new[] { 0, 0.25, 0.5 }), Standardize = m.Pick(new[] { StandardizeMode.None, StandardizeMode.ZScore, StandardizeMode.MinMax }),
                Task = m.Pick(new[] { null, null, "classification", "regression" }), Target = m.Pick(new[] { null, null, "b", "species", "price", "c", "y", "kind" }),
                Features = m.Pick(new[] { null, null, new[] { "a", "kind" }, new[] { "kind" } }), StandardizeTarget = m.Chance(0.5),
            });
        });
        Library("IDX file (raw or gzip)", 800, 6_000_000, idx, m =>
        {
            var (bytes, what) = m.Idx(m.Chance(0.5) ? seeds.IdxImages : seeds.IdxLabels);
            return m.Chance(0.3) ? (Mutator.Gzip(bytes), what + ", gzipped") : m.Chance(0.1) ? m.Bytes(Mutator.Gzip(bytes), 16) : (bytes, what);
        }, p => IdxReader.Read(p));
        Library("image (PNG, JPEG, BMP, GIF, TIFF, WebP lossless and lossy, PGM binary and ASCII)", 1200, 7_000_000, image, m => m.Pick(seeds.Images) is var b && b == seeds.PgmAscii
            ? m.Bytes(b, b.Length) : m.Bytes(b, Math.Min(b.Length, 64)), p => GrayImage.Read(p));

        Command("scratchnet inspect (model files and checkpoints)", 150, 8_000_000, model,
            m => m.SafeTensors(m.Pick(new[] { seeds.RunModel, seeds.Checkpoint, seeds.Cnn })), p => ["inspect", p]);
        string resumed = Path.Combine(dir.Path, "resume", ScratchNet.Serialization.Checkpoint.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(resumed)!);
        Command("scratchnet train --resume (a circles run's checkpoint, one epoch more)", 100, 13_000_000, resumed,
            m => m.SafeTensors(seeds.Checkpoint), p => ["train", "--resume", p, "--epochs", "2", "--no-plots"]);
        Command("scratchnet evaluate (a circles run's model or checkpoint)", 100, 9_000_000, model,
            m => m.SafeTensors(m.Chance(0.5) ? seeds.RunModel : seeds.Checkpoint), p => ["evaluate", "--model", p, "--limit", "50"]);
        Command("scratchnet predict (mutated model)", 60, 10_000_000, model, m => m.SafeTensors(seeds.RunModel), p => ["predict", "--model", p, "--input", seeds.PointsCsvPath]);
        Command("scratchnet predict (mutated CSV input)", 100, 11_000_000, csv, m => Utf8(m.Csv(seeds.PointsCsv)), p => ["predict", "--model", seeds.RunModelPath, "--input", p]);
        Command("scratchnet predict (mutated CSV input, a table model: text, NA cells)", 100, 14_000_000, csv, m => Utf8(m.Csv(seeds.TableRowsCsv)),
            p => ["predict", "--model", seeds.TableModelPath, "--input", p]);
        Command("scratchnet predict (mutated table model: its encoding)", 60, 15_000_000, model, m => m.SafeTensors(seeds.TableModel),
            p => ["predict", "--model", p, "--input", seeds.TableRowsCsvPath]);
        Command("scratchnet predict (mutated image)", 100, 12_000_000, image, m => m.Bytes(m.Pick(seeds.Images), 64),
            p => ["predict", "--model", seeds.ImageModelPath, "--input", p]);

        foreach (var line in _report) output.WriteLine(line);
        output.WriteLine($"{_report.Count} kinds, {_report.Sum(l => int.Parse(l.Split(' ')[0]))} cases in {total.Elapsed.TotalSeconds:F1} s; " +
            $"largest allocation {_largestAllocation / 1024.0 / 1024.0:F1} MiB ({_largestAllocationCase}); slowest case {_slowestCase * 1000:F0} ms ({_slowestCaseName})");
        Assert.True(_failures.Count == 0, $"{_failures.Count} fuzz cases failed:\n" + string.Join("\n", _failures.Take(25)));
    }

    private static (byte[], string) Utf8((string Text, string What) c) => (Encoding.UTF8.GetBytes(c.Text), c.What);

    /// <summary>Cases through a library entry point: success, or a ModelFileException / DataFormatException / InvalidDataException (images) naming the file in one line.</summary>
    private void Library(string kind, int cases, ulong seedBase, string path, Func<Mutator, (byte[] Bytes, string What)> mutate, Action<string> entry) =>
        Library(kind, cases, seedBase, path, mutate, (p, _) => entry(p));

    /// <summary>As above, with the entry point given the case's mutator too (to vary its options with the seed).</summary>
    private void Library(string kind, int cases, ulong seedBase, string path, Func<Mutator, (byte[] Bytes, string What)> mutate, Action<string, Mutator> entry)
    {
        int refused = 0;
        var sw = Stopwatch.StartNew();
        cases *= Scale;
        for (int i = 0; i < cases; i++)
        {
            ulong seed = seedBase + (ulong)i;
            var mutator = new Mutator(seed);
            var (bytes, what) = mutate(mutator);
            File.WriteAllBytes(path, bytes);
            string name = $"{kind} #{i} (seed {seed}: {what})";
            Measure(name, bytes.Length, () =>
            {
                try { entry(path, mutator); }
                catch (Exception e) when (e is ModelFileException or DataFormatException || (e is InvalidDataException && kind.StartsWith("image", StringComparison.Ordinal)))
                {
                    refused++;
                    if (e.Message.Contains('\n') || e.Message.Contains('\r')) _failures.Add($"{name}: the message has a line break: {Excerpt(e.Message)}");
                    if (e.Message.Length > path.Length + MaxMessageLength) _failures.Add($"{name}: a message of {e.Message.Length:N0} characters: {Excerpt(e.Message)}");
                    if (!e.Message.StartsWith(path, StringComparison.Ordinal)) _failures.Add($"{name}: the message does not start with the file: {Excerpt(e.Message)}");
                }
                catch (Exception e)
                {
                    _failures.Add($"{name}: {e.GetType().Name}: {Excerpt(e.Message)} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
                }
            });
        }
        _report.Add($"{cases} cases: {kind}, {refused} refused, {cases - refused} accepted, {sw.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Cases through the command line, in-process: exit 0 or 2, at most one line on stderr, no stack trace.</summary>
    private void Command(string kind, int cases, ulong seedBase, string path, Func<Mutator, (byte[] Bytes, string What)> mutate, Func<string, string[]> args)
    {
        int refused = 0;
        var sw = Stopwatch.StartNew();
        cases *= Scale;
        for (int i = 0; i < cases; i++)
        {
            ulong seed = seedBase + (ulong)i;
            var (bytes, what) = mutate(new Mutator(seed));
            File.WriteAllBytes(path, bytes);
            string name = $"{kind} #{i} (seed {seed}: {what})";
            Measure(name, bytes.Length, () =>
            {
                var (code, _, err) = CliRunner.Run(args(path));
                if (code == ExitCodesInputError) refused++;
                string[] lines = err.TrimEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                // A model file that does not name its dataset is a usage error for evaluate: the remedy is an option (--dataset).
                bool usage = code == 1 && err.Contains("give --dataset", StringComparison.Ordinal);
                // A resumed run whose mutated (finite) weights make the loss overflow stops as diverged, which is its right answer.
                bool diverged = code == ScratchNet.Cli.ExitCodes.Diverged && args(path)[0] == "train";
                if (code is not (0 or ExitCodesInputError) && !usage && !diverged) _failures.Add($"{name}: exit {code}: {Excerpt(err)}");
                if (lines.Length > 1) _failures.Add($"{name}: {lines.Length} lines on stderr: {Excerpt(err)}");
                if (err.Contains("   at ", StringComparison.Ordinal)) _failures.Add($"{name}: a stack trace: {Excerpt(err)}");
                if (err.Length > path.Length + MaxMessageLength + 20) _failures.Add($"{name}: a message of {err.Length:N0} characters");
            });
        }
        _report.Add($"{cases} cases: {kind}, {refused} refused (exit 2), {cases - refused} accepted, {sw.Elapsed.TotalSeconds:F1} s");
    }

    private const int ExitCodesInputError = ScratchNet.Cli.ExitCodes.InputError;

    private void Measure(string name, long fileBytes, Action run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        run();
        double seconds = sw.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = AllocationBound + AllocationPerFileByte * fileBytes;
        if (allocated > bound) _failures.Add($"{name}: allocated {allocated:N0} bytes, over the bound of {bound:N0}");
        if (allocated > _largestAllocation) (_largestAllocation, _largestAllocationCase) = (allocated, name);
        if (seconds > _slowestCase) (_slowestCase, _slowestCaseName) = (seconds, name);
        if (seconds > 10) _failures.Add($"{name}: took {seconds:F1} s");
    }

    private static string Excerpt(string s) => TextExcerpt.Of(s, 300);

    /// <summary>The valid files the mutations start from.</summary>
    private sealed class Seeds
    {
        public required byte[] Mlp, Cnn, RunModel, Checkpoint, IdxImages, IdxLabels, PgmAscii;

        /// <summary>A 28 x 28 digit-like image in every format predict reads (ImageSharp's encoders), and PGM.</summary>
        public required byte[][] Images;
        public required string RegressionCsv, ClassesCsv, PointsCsv, PointsCsvPath, RunModelPath, ImageModelPath;
        public required string TablesCsv, TableRowsCsv, TableRowsCsvPath, TableModelPath;
        public required byte[] TableModel;

        public static Seeds Create(TempFolder dir)
        {
            string mlp = dir.File("seed-mlp.safetensors");
            var standardizer = new Standardizer(StandardizeMode.ZScore, [0.5f, -1f, 2f, 0f, 3f], [1f, 2f, 0.5f, 1f, 4f]);
            ModelFile.Save(mlp, TestModels.Mlp(), new ModelMetadata
            {
                Dataset = "my.csv", Task = "classification", ClassNames = ["a", "b", "c"], FeatureNames = ["f1", "f2", "f3", "f4", "f5"], Target = "y",
                Standardizer = standardizer, Extra = { ["loss"] = "SoftmaxCrossEntropy", ["seed"] = "3" },
            });
            string cnn = dir.File("seed-cnn.safetensors");
            var cnnModel = new Sequential(new RandomShift2D(1), new Conv2D(3, 3, padding: 1), new BatchNorm2D(), new ReLU(), new MaxPool2D(2),
                new Conv2D(4, 2, stride: 2), new AvgPool2D(1), new GlobalAveragePool(), new Dense(3)).Build([2, 8, 8], 5);
            ModelFile.Save(cnn, cnnModel, new ModelMetadata { Task = "classification", ClassNames = ["x", "y", "z"] });

            string run = Path.Combine(dir.Path, "run");
            var recipe = PresetCatalog.Circles with { Epochs = 1, Data = PresetCatalog.Circles.Data with { Samples = 64 } };
            TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = run });

            string image = dir.File("seed-image-model.safetensors");
            ModelFile.Save(image, new Sequential(new Dense(10)).Build([784], 1), new ModelMetadata
            {
                Dataset = "mnist", Task = "classification", ClassNames = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(),
            });

            var pixels = Enumerable.Range(0, 784).Select(i => (byte)(i % 28 * 9)).ToArray();
            using var ring = TestImages.Ring(28, 28);
            var pgmAscii = "P2\n# a comment\n5 4\n255\n" + string.Join(" ", Enumerable.Range(0, 20).Select(i => i * 12)) + "\n";
            var pgmAsciiBytes = Encoding.ASCII.GetBytes(pgmAscii);
            string points = "x,y\n0.5,0.25\n-1,0.75\n0.1,-0.9\n";
            string pointsPath = dir.File("seed-points.csv");
            File.WriteAllText(pointsPath, points);
            var rng = new Rng(9);
            string tables = "a,kind,b,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => FormattableString.Invariant(
                $"{(i % 9 == 0 ? "NA" : (i * 0.7).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))},{(i % 11 == 0 ? "" : i % 3 == 0 ? "red" : i % 3 == 1 ? "\"blue, sky\"" : "green")},{i % 5},{i * 1.37:F2}\n")));
            string tablePath = dir.File("seed-table.csv");
            File.WriteAllText(tablePath, tables);
            string tableRun = Path.Combine(dir.Path, "table-run");
            TrainingJob.Run(PresetCatalog.ForDataset(tablePath, "y") with { Epochs = 1 }, new TrainingJobOptions { OutDir = tableRun });
            string tableRows = "kind,a,b\nred,1.5,2\n,NA,3\ngreen,0.5,1\n";
            string tableRowsPath = dir.File("seed-table-rows.csv");
            File.WriteAllText(tableRowsPath, tableRows);
            string Row(Func<int, string> label) => string.Join("", Enumerable.Range(0, 40).Select(i =>
                FormattableString.Invariant($"{rng.NextGaussian():F3},{rng.NextDouble() * 10:F2},\"{i % 7}\",{label(i)}\n")));
            return new Seeds
            {
                Mlp = File.ReadAllBytes(mlp),
                Cnn = File.ReadAllBytes(cnn),
                RunModel = File.ReadAllBytes(Path.Combine(run, TrainingJob.ModelFileName)),
                RunModelPath = Path.Combine(run, TrainingJob.ModelFileName),
                Checkpoint = File.ReadAllBytes(Path.Combine(run, ScratchNet.Serialization.Checkpoint.FileName)),
                ImageModelPath = image,
                IdxImages = IdxReaderTests.Idx(0x08, [3, 4, 5], 60),
                IdxLabels = IdxReaderTests.Idx(0x08, [6], 6),
                Images = [.. TestImages.Encoders.Select(e => TestImages.Encode(ring, e.Encoder)), PngEncoder.Encode(pixels, 28, 28, PngColorType.Grayscale),
                    [.. Encoding.ASCII.GetBytes("P5\n28 28\n255\n"), .. pixels], pgmAsciiBytes],
                PgmAscii = pgmAsciiBytes,
                RegressionCsv = "a,b,c,price\n" + Row(i => FormattableString.Invariant($"{i * 1.37:F2}")),
                ClassesCsv = "a,b,c,species\n" + Row(i => i % 3 == 0 ? "setosa" : i % 3 == 1 ? "\"versi,color\"" : "virginica"),
                PointsCsv = points,
                PointsCsvPath = pointsPath,
                TablesCsv = tables,
                TableRowsCsv = tableRows,
                TableRowsCsvPath = tableRowsPath,
                TableModelPath = Path.Combine(tableRun, TrainingJob.ModelFileName),
                TableModel = File.ReadAllBytes(Path.Combine(tableRun, TrainingJob.ModelFileName)),
            };
        }
    }
}
