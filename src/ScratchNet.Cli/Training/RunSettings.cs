using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScratchNet.Cli.Training;

/// <summary>
/// What `scratchnet train` was asked to do: a preset (or a custom dataset) and the settings given on
/// the command line (null = the preset's own). Saved in every checkpoint, so `--resume DIR` alone
/// rebuilds the same run.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The preset name, or null for a custom run (--dataset).</summary>
    public string? Preset { get; init; }
    /// <summary>A dataset name or a CSV path (custom runs, or replacing a preset's data).</summary>
    public string? Dataset { get; init; }
    /// <summary>The target column of a table or CSV file.</summary>
    public string? Target { get; init; }
    /// <summary>Hidden layer widths of an MLP.</summary>
    public int[]? Layers { get; init; }
    /// <summary>Hidden activation name.</summary>
    public string? Activation { get; init; }
    /// <summary>Optimizer name.</summary>
    public string? Optimizer { get; init; }
    /// <summary>Learning rate η₀.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Momentum coefficient (momentum, nesterov).</summary>
    public double? Momentum { get; init; }
    /// <summary>Schedule name.</summary>
    public string? Schedule { get; init; }
    /// <summary>Step schedule: epochs between decays.</summary>
    public int? StepSize { get; init; }
    /// <summary>Step/exponential/plateau decay factor.</summary>
    public double? Gamma { get; init; }
    /// <summary>Cosine: warm-up epochs.</summary>
    public double? Warmup { get; init; }
    /// <summary>Cosine/plateau: the lowest rate.</summary>
    public double? MinLearningRate { get; init; }
    /// <summary>Plateau: epochs without improvement before reducing.</summary>
    public int? PlateauPatience { get; init; }
    /// <summary>L1 coefficient.</summary>
    public double? L1 { get; init; }
    /// <summary>L2 coefficient.</summary>
    public double? L2 { get; init; }
    /// <summary>Decoupled weight decay.</summary>
    public double? WeightDecay { get; init; }
    /// <summary>Dropout rate after each hidden layer.</summary>
    public double? Dropout { get; init; }
    /// <summary>Early stopping patience (epochs).</summary>
    public int? EarlyStopping { get; init; }
    /// <summary>Fraction of the training set held out for validation.</summary>
    public double? ValidationSplit { get; init; }
    /// <summary>Epochs.</summary>
    public int? Epochs { get; init; }
    /// <summary>Batch size.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Seed (default 1).</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Compute threads (null = all processors).</summary>
    public int? Threads { get; init; }
    /// <summary>The --data-dir folder.</summary>
    public string? DataDir { get; init; }
    /// <summary>Use the first N training samples only.</summary>
    public int? LimitTrain { get; init; }
    /// <summary>Use the first N test samples only.</summary>
    public int? LimitTest { get; init; }
    /// <summary>Synthetic sets: training samples to generate.</summary>
    public int? Samples { get; init; }

    private static readonly JsonSerializerOptions s_json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The settings as compact JSON (nulls left out).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads <see cref="ToJson"/>'s text.</summary>
    public static RunSettings FromJson(string json) =>
        JsonSerializer.Deserialize<RunSettings>(json, s_json) ?? throw new FormatException("The checkpoint's run settings are empty.");
}
