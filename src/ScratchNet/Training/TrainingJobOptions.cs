namespace ScratchNet.Training;

/// <summary>What <see cref="TrainingJob.Run"/> should do. Only <see cref="Preset"/> is required.</summary>
public sealed class TrainingJobOptions
{
    /// <summary>The preset name (see <see cref="Presets.PresetCatalog"/>).</summary>
    public required string Preset { get; init; }

    /// <summary>Epochs (null = the preset's).</summary>
    public int? Epochs { get; init; }

    /// <summary>Batch size (null = the preset's).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seed for initialisation, shuffling and dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Compute threads for the run (null = leave <see cref="Compute.Threads"/> as it is).</summary>
    public int? Threads { get; init; }

    /// <summary>Folder for metrics.json and the model file (null = write nothing).</summary>
    public string? OutDir { get; init; }

    /// <summary>The --data-dir folder searched first for dataset files (null = the default search).</summary>
    public string? DataDir { get; init; }

    /// <summary>Whether a missing dataset may be downloaded.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Use only the first N training samples (smoke tests); null = all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use only the first N test samples; null = all.</summary>
    public int? TestLimit { get; init; }
}
