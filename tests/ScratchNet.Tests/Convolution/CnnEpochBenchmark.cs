using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Optimizers;
using ScratchNet.Training;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Convolution;

/// <summary>
/// The ScratchNet side of bench/compare_cnn.sh: trains the mnist-cnn / fashion-cnn network with Adam
/// 1e-3, batch 64, and writes per-epoch seconds, test accuracy and peak RSS as JSON. It runs only when
/// SCRATCHNET_CNN_BENCH names a dataset ("mnist" or "fashion-mnist"); otherwise it returns at once.
/// Settings: SCRATCHNET_CNN_EPOCHS (default 1), SCRATCHNET_CNN_THREADS (2), SCRATCHNET_CNN_SHIFT
/// (max random shift, 0), SCRATCHNET_CNN_COSINE (1: cosine decay of η to 0 over the run, 0: constant), SCRATCHNET_CNN_LIMIT (first N samples only, for profiling), SCRATCHNET_CNN_SEED (1), SCRATCHNET_CNN_OUT (JSON path; default stdout only).
/// </summary>
public class CnnEpochBenchmark
{
    private readonly ITestOutputHelper _log;

    public CnnEpochBenchmark(ITestOutputHelper log) => _log = log;

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    [Fact]
    public void TrainSmallCnn()
    {
        string? dataset = Environment.GetEnvironmentVariable("SCRATCHNET_CNN_BENCH");
        if (string.IsNullOrEmpty(dataset)) return;
        int epochs = int.Parse(Env("SCRATCHNET_CNN_EPOCHS", "1"), CultureInfo.InvariantCulture);
        int threads = int.Parse(Env("SCRATCHNET_CNN_THREADS", "2"), CultureInfo.InvariantCulture);
        int shift = int.Parse(Env("SCRATCHNET_CNN_SHIFT", "0"), CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(Env("SCRATCHNET_CNN_SEED", "1"), CultureInfo.InvariantCulture);
        bool cosine = Env("SCRATCHNET_CNN_COSINE", "1") != "0";
        using (Compute.UseThreads(threads))
        {
            // The mnist-cnn / fashion-cnn preset (with the requested augmentation).
            var preset = ScratchNet.Training.Presets.PresetCatalog.ImageCnn(dataset == "mnist" ? "mnist-cnn" : "fashion-cnn", dataset, double.NaN, shift, cosine, epochs);
            var manager = new DatasetManager(new DatasetManagerOptions { AllowDownload = false, SearchRoots = [Environment.CurrentDirectory] });
            var (train, test) = preset.LoadData(manager, seed);
            int limit = int.Parse(Env("SCRATCHNET_CNN_LIMIT", "0"), CultureInfo.InvariantCulture);
            if (limit > 0 && limit < train.Count)
            {
                train = new ScratchNet.Data.SubsetDataset(train.Name + "/first", train, Enumerable.Range(0, limit).ToArray());
                test = new ScratchNet.Data.SubsetDataset(test.Name + "/first", test, Enumerable.Range(0, Math.Min(limit, test.Count)).ToArray());
            }
            var model = preset.CreateModel();
            var trainer = new Trainer(model, new TrainerOptions
            {
                Loss = preset.CreateLoss(),
                Optimizer = preset.CreateOptimizer(),
                Epochs = epochs,
                Schedule = preset.CreateSchedule(epochs),
                BatchSize = preset.BatchSize,
                Seed = seed,
                Test = test,
            });
            var clock = Stopwatch.StartNew();
            // Each finished epoch is appended to SCRATCHNET_CNN_PROGRESS (if set) so a long run that is
            // stopped early still leaves its figures.
            var cpu = new CpuClock(Environment.GetEnvironmentVariable("SCRATCHNET_CNN_PROGRESS"));
            var history = trainer.Fit(train, cpu);
            double total = clock.Elapsed.TotalSeconds;
            var result = new
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
            };
            string json = JsonSerializer.Serialize(result);
            _log.WriteLine(json);
            Console.WriteLine(json);
            string? outPath = Environment.GetEnvironmentVariable("SCRATCHNET_CNN_OUT");
            if (!string.IsNullOrEmpty(outPath)) File.WriteAllText(outPath, json + "\n");
        }
    }

    /// <summary>Process CPU seconds per training epoch (less sensitive to a busy machine than wall time).</summary>
    private sealed class CpuClock(string? progressPath) : ITrainingObserver
    {
        private TimeSpan _start;
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
        public List<double> EpochCpuSeconds { get; } = [];
        public void OnEpochStart(int epoch, int batches) => _start = Process.GetCurrentProcess().TotalProcessorTime;
        public void OnBatchEnd(in BatchProgress progress)
        {
            if (progress.Batch == progress.Batches) EpochCpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - _start).TotalSeconds);
        }
    }
}
