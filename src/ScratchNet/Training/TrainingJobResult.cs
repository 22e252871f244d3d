using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training.Presets;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training;

/// <summary>Everything a finished <see cref="TrainingJob"/> produced, in memory (for plots and reports).</summary>
public sealed class TrainingJobResult
{
    /// <summary>The recipe that ran.</summary>
    public required Recipe Recipe { get; init; }

    /// <summary>The model in words ("784-256-128-10, ReLU").</summary>
    public required string ModelDescription { get; init; }

    /// <summary>The trained model.</summary>
    public required Sequential Model { get; init; }

    /// <summary>The data it was trained and tested on.</summary>
    public required LoadedData Data { get; init; }

    /// <summary>The samples trained on (the training split less any validation split).</summary>
    public required Dataset TrainingSet { get; init; }

    /// <summary>The validation split, if any.</summary>
    public Dataset? ValidationSet { get; init; }

    /// <summary>The loss.</summary>
    public required Loss Loss { get; init; }

    /// <summary>The optimizer (its state at the end).</summary>
    public required Optimizer Optimizer { get; init; }

    /// <summary>The schedule that set η; its <see cref="LearningRateSchedule.BaseRate"/> is η₀.</summary>
    public required LearningRateSchedule Schedule { get; init; }

    /// <summary>Per-epoch metrics (test loss and accuracy after each epoch), and how the run ended.</summary>
    public required TrainingHistory History { get; init; }

    /// <summary>The final evaluation on the test set: loss, accuracy, confusion matrix, predictions.</summary>
    public required EvaluationResult Test { get; init; }

    /// <summary>Samples per step (the recipe's, or the whole training set when that is smaller).</summary>
    public int BatchSize { get; init; }

    /// <summary>
    /// For a recipe with <see cref="Recipe.TuneThreshold"/>: the threshold on the logit chosen to maximise
    /// F1 on the validation split (the training samples without one), used for <see cref="Test"/>; NaN otherwise.
    /// </summary>
    public double ChosenThreshold { get; init; } = double.NaN;

    /// <summary>Compute threads used.</summary>
    public int Threads { get; init; }

    /// <summary>The epoch the run continued from (0: a fresh run).</summary>
    public int ResumedFromEpoch { get; init; }

    /// <summary>Where the steps ran: "cpu", "cuda" or "cpu-accelerator".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The process's peak working set (bytes) at the end of the run; null where the platform has no process statistics (a browser).</summary>
    public long? PeakWorkingSetBytes { get; init; }

    /// <summary>Wall-clock seconds of the whole job in this process (loading, training, evaluation, files).</summary>
    public double TotalSeconds { get; init; }

    /// <summary>Results beyond the metrics: for a one-feature linear regression, "intercept" and "slope" in original units.</summary>
    public IReadOnlyDictionary<string, double> Extras { get; init; } = new Dictionary<string, double>();

    /// <summary>The output folder, or null when nothing was written.</summary>
    public string? OutDir { get; init; }

    /// <summary>Path of metrics.json, when an output folder was given.</summary>
    public string? MetricsPath => OutDir is null ? null : Path.Combine(OutDir, TrainingJob.MetricsFileName);

    /// <summary>Path of the saved model, when an output folder was given.</summary>
    public string? ModelPath => OutDir is null ? null : Path.Combine(OutDir, TrainingJob.ModelFileName);

    /// <summary>
    /// The metrics as one JSON object, as in metrics.json; <paramref name="summaryOnly"/> leaves out
    /// the per-epoch lists, the confusion matrix and the recipe.
    /// </summary>
    public string ToJson(bool summaryOnly = false, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
            TrainingJob.WriteMetrics(w, this, summaryOnly);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
