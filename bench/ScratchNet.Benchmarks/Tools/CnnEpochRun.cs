using System.Diagnostics;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Benchmarks.Tools;

/// <summary>
/// The ScratchNet side of bench/compare_cnn.sh: trains the mnist-cnn / fashion-cnn preset's network
/// (Adam 1e-3, batch 64) and prints per-epoch seconds, CPU seconds, train loss, test accuracy and the
/// peak working set as one JSON line.
/// </summary>
internal static class CnnEpochRun
{
    public const string Usage =
        "cnn-epochs --dataset mnist|fashion-mnist [--epochs 1] [--threads 2] [--shift 0] [--cosine 1] [--limit 0] [--seed 1]\n" +
        "           [--data-dir DIR] [--out FILE] [--progress FILE]\n" +
        "  --shift: largest random shift in pixels; --cosine 1: cosine decay of the learning rate to 0 over the run, 0: constant;\n" +
        "  --limit N: the first N training and test images only; --out: also write the JSON there;\n" +
        "  --progress: append one JSON line per finished epoch (a run stopped early still leaves its figures).";

    public static int Run(ToolOptions options)
    {
        string dataset = options.Text("dataset") ?? throw new ToolUsageException("cnn-epochs: --dataset is required (mnist or fashion-mnist)");
        if (dataset is not ("mnist" or "fashion-mnist")) throw new ToolUsageException($"cnn-epochs: --dataset must be mnist or fashion-mnist (got '{dataset}')");
        int epochs = options.Int("epochs", 1, min: 1);
        int threads = options.Int("threads", 2, min: 1);
        int shift = options.Int("shift", 0, min: 0);
        bool cosine = options.Bool("cosine", true);
        int limit = options.Int("limit", 0, min: 0);
        ulong seed = options.ULong("seed", 1);
        string? dataDir = options.Text("data-dir");
        string? outPath = options.Text("out");
        string? progressPath = options.Text("progress");
        options.RejectUnknown("cnn-epochs");
        using var threadScope = Compute.UseThreads(threads);

        var preset = (dataset == "mnist" ? PresetCatalog.MnistCnn : PresetCatalog.FashionCnn) with
        {
            Model = new CnnRecipe { MaxShift = shift },
            Schedule = new ScheduleRecipe { Name = cosine ? "cosine" : "constant" },
            Epochs = epochs,
        };
        var manager = new DatasetManager(new DatasetManagerOptions { AllowDownload = false, DataDir = dataDir, SearchRoots = [Environment.CurrentDirectory] });
        var loaded = preset.Data.Load(manager, seed);
        var (train, test) = loaded;
        if (limit > 0 && limit < train.Count)
        {
            train = new SubsetDataset(train.Name + "/first", train, Enumerable.Range(0, limit).ToArray());
            test = new SubsetDataset(test.Name + "/first", test, Enumerable.Range(0, Math.Min(limit, test.Count)).ToArray());
        }
        var trainer = new Trainer(preset.CreateModel(loaded), new TrainerOptions
        {
            Loss = preset.CreateLoss(loaded),
            Optimizer = preset.CreateOptimizer(),
            Epochs = epochs,
            Schedule = preset.CreateSchedule(),
            BatchSize = preset.BatchSize,
            Seed = seed,
            Test = test,
        });
        var clock = Stopwatch.StartNew();
        var cpu = new CpuClock(progressPath);
        var history = trainer.Fit(train, cpu);
        double total = clock.Elapsed.TotalSeconds;
        string json = JsonSerializer.Serialize(new
        {
            framework = "scratchnet",
            dataset,
            threads,
            batch_size = CnnModels.BatchSize,
            shift,
            epoch_seconds = history.Epochs.Select(e => Math.Round(e.Seconds, 3)).ToArray(),
            epoch_cpu_seconds = cpu.EpochCpuSeconds.Select(v => Math.Round(v, 3)).ToArray(),
            eval_seconds = history.Epochs.Select(e => Math.Round(e.EvaluationSeconds, 3)).ToArray(),
            train_loss = history.Epochs.Select(e => Math.Round(e.TrainLoss, 5)).ToArray(),
            test_accuracy = history.Epochs.Select(e => Math.Round(e.TestAccuracy, 5)).ToArray(),
            total_seconds = Math.Round(total, 3),
            peak_rss_mb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
        });
        Console.WriteLine(json);
        if (!string.IsNullOrEmpty(outPath)) File.WriteAllText(outPath, json + "\n");
        return 0;
    }

    /// <summary>Process CPU seconds per training epoch (less sensitive to a busy machine than wall time).</summary>
    private sealed class CpuClock(string? progressPath) : ITrainingObserver
    {
        private TimeSpan _start;

        public List<double> EpochCpuSeconds { get; } = [];

        public void OnEpochStart(int epoch, int batches) => _start = Process.GetCurrentProcess().TotalProcessorTime;

        public void OnBatchEnd(in BatchProgress progress)
        {
            if (progress.Batch == progress.Batches) EpochCpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - _start).TotalSeconds);
        }

        public void OnEpochEnd(EpochMetrics metrics)
        {
            if (string.IsNullOrEmpty(progressPath)) return;
            File.AppendAllText(progressPath, JsonSerializer.Serialize(new
            {
                epoch = metrics.Epoch,
                seconds = Math.Round(metrics.Seconds, 3),
                cpu_seconds = EpochCpuSeconds.Count > 0 ? Math.Round(EpochCpuSeconds[^1], 3) : double.NaN,
                train_loss = Math.Round(metrics.TrainLoss, 5),
                test_accuracy = Math.Round(metrics.TestAccuracy, 5),
            }) + "\n");
        }
    }
}
