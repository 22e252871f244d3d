using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Training.Presets;

namespace ScratchNet.Training;

/// <summary>Everything a finished <see cref="TrainingJob"/> produced, in memory (for plots and reports).</summary>
public sealed class TrainingJobResult
{
    /// <summary>The recipe that ran.</summary>
    public required Preset Preset { get; init; }

    /// <summary>The trained model.</summary>
    public required Sequential Model { get; init; }

    /// <summary>The data it was trained and tested on.</summary>
    public required LoadedData Data { get; init; }

    /// <summary>Per-epoch metrics (test loss and accuracy after each epoch).</summary>
    public required TrainingHistory History { get; init; }

    /// <summary>The final evaluation on the test set: loss, accuracy, confusion matrix, predictions.</summary>
    public required EvaluationResult Test { get; init; }

    /// <summary>Epochs run.</summary>
    public int Epochs { get; init; }

    /// <summary>Batch size used.</summary>
    public int BatchSize { get; init; }

    /// <summary>Threads used.</summary>
    public int Threads { get; init; }

    /// <summary>The process's peak working set (bytes) at the end of the run.</summary>
    public long PeakWorkingSetBytes { get; init; }

    /// <summary>Preset-specific results (tv-marketing: "intercept" and "slope" in original units).</summary>
    public IReadOnlyDictionary<string, double> Extras { get; init; } = new Dictionary<string, double>();

    /// <summary>Path of metrics.json, when an output folder was given.</summary>
    public string? MetricsPath { get; init; }

    /// <summary>Path of the saved model, when an output folder was given and model files are available.</summary>
    public string? ModelPath { get; init; }
}
