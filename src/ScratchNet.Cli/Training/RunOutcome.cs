using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training;
using ScratchNet.Training.Presets;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Cli.Training;

/// <summary>What a finished `scratchnet train` run produced (for metrics.json, pictures and the report).</summary>
public sealed class RunOutcome
{
    public required RunRequest Request { get; init; }
    public required Preset Preset { get; init; }
    public required Sequential Model { get; init; }
    public required LoadedData Data { get; init; }
    /// <summary>The samples trained on (the training split minus any validation split).</summary>
    public required Dataset Train { get; init; }
    public Dataset? Validation { get; init; }
    public required Loss Loss { get; init; }
    public required Optimizer Optimizer { get; init; }
    public LearningRateSchedule? Schedule { get; init; }
    public required IReadOnlyList<EpochMetrics> History { get; init; }
    public required EvaluationResult Test { get; init; }
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public int Threads { get; init; }
    /// <summary>The epoch the run continued from (0 = a fresh run).</summary>
    public int ResumedFromEpoch { get; init; }
    public bool StoppedEarly { get; init; }
    /// <summary>The epoch whose weights the model holds at the end.</summary>
    public int FinalWeightsEpoch { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    public IReadOnlyDictionary<string, double> Extras { get; init; } = new Dictionary<string, double>();
    public double TotalSeconds { get; init; }
    public string ModelPath => Path.Combine(Request.OutDir, "model.safetensors");
    public string MetricsPath => Path.Combine(Request.OutDir, "metrics.json");
}
