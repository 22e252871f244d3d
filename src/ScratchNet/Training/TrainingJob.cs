using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.Serialization;
using ScratchNet.Training.Presets;

namespace ScratchNet.Training;

/// <summary>
/// Runs a preset end to end: loads the data, builds the model, trains with the test set evaluated
/// after every epoch, evaluates once more, and writes DIR/metrics.json and DIR/model.safetensors (atomically). The CLI's
/// <c>train</c> command wraps this.
/// </summary>
/// <example>
/// <code>
/// var result = TrainingJob.Run(new TrainingJobOptions { Preset = "mnist-mlp", Seed = 1, Threads = 2, OutDir = "runs/mnist" }, observer);
/// Console.WriteLine(result.Test.Accuracy);
/// </code>
/// </example>
public static partial class TrainingJob
{
    /// <summary>Trains <paramref name="options"/>.Preset and returns the results.</summary>
    /// <exception cref="ArgumentException">Unknown preset or bad option.</exception>
    /// <exception cref="DataFormatException">The data cannot be found or is malformed.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public static TrainingJobResult Run(TrainingJobOptions options, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var preset = PresetCatalog.Get(options.Preset);
        int epochs = options.Epochs ?? preset.Epochs;
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Epochs must be at least 1 (got {epochs}).");
        int batchSize = options.BatchSize ?? preset.BatchSize;
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"The batch size must be at least 1 (got {batchSize}).");

        int threads = options.Threads ?? Compute.Threads;
        using (Compute.UseThreads(threads))
        {
            var manager = new DatasetManager(new DatasetManagerOptions { DataDir = options.DataDir, AllowDownload = options.AllowDownload });
            var data = preset.LoadData(manager, options.Seed);
            data = data with { Train = Limit(data.Train, options.TrainLimit), Test = Limit(data.Test, options.TestLimit) };
            if (data.Test.Count == 0) data = data with { Test = data.Train };

            var model = preset.CreateModel();
            var loss = preset.CreateLoss();
            var optimizer = preset.CreateOptimizer();
            var trainer = new Trainer(model, new TrainerOptions
            {
                Loss = loss,
                Optimizer = optimizer,
                Epochs = epochs,
                BatchSize = Math.Min(batchSize, data.Train.Count),
                Seed = options.Seed,
                Test = data.Test,
                Schedule = preset.CreateSchedule(epochs),
                BinaryThreshold = preset.BinaryThreshold,
            });
            var history = trainer.Fit(data.Train, observer);
            var test = Evaluation.Evaluate(model, data.Test, loss, Evaluation.DefaultBatchSize, preset.BinaryThreshold);
            var extras = preset.Report?.Invoke(model, data) ?? new Dictionary<string, double>();

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var result = new TrainingJobResult
            {
                Preset = preset,
                Model = model,
                Data = data,
                History = history,
                Test = test,
                Epochs = epochs,
                BatchSize = Math.Min(batchSize, data.Train.Count),
                Threads = threads,
                PeakWorkingSetBytes = process.PeakWorkingSet64,
                Extras = extras,
            };
            if (options.OutDir is null) return result;

            string metricsPath = Path.Combine(options.OutDir, "metrics.json");
            WriteMetrics(metricsPath, result, optimizer, options.Seed);
            string modelPath = Path.Combine(options.OutDir, "model.safetensors");
            ModelFile.Save(modelPath, model, new ModelMetadata
            {
                Dataset = preset.Dataset,
                Task = data.Train.ClassCount > 0 ? "classification" : "regression",
                ClassNames = data.Train.ClassNames.ToArray(),
                FeatureNames = data.FeatureNames,
                Target = data.TargetName,
                Standardizer = data.Standardizer,
                Extra = { ["preset"] = preset.Name, ["seed"] = options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
            return new TrainingJobResult
            {
                Preset = result.Preset, Model = result.Model, Data = result.Data, History = result.History, Test = result.Test,
                Epochs = result.Epochs, BatchSize = result.BatchSize, Threads = result.Threads,
                PeakWorkingSetBytes = result.PeakWorkingSetBytes, Extras = result.Extras, MetricsPath = metricsPath, ModelPath = modelPath,
            };
        }
    }

    private static Dataset Limit(Dataset data, int? limit)
    {
        if (limit is not int n || n >= data.Count) return data;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(limit), $"A sample limit must be at least 1 (got {n}).");
        return new SubsetDataset($"{data.Name}[:{n}]", data, Enumerable.Range(0, n).ToArray());
    }
}
