namespace ScratchNet.Cli.Training;

/// <summary>A `scratchnet train` invocation after parsing: the run's settings and where its files go.</summary>
public sealed class RunRequest
{
    /// <summary>The recipe and its overrides.</summary>
    public required RunSettings Settings { get; init; }

    /// <summary>The output folder (model, metrics, checkpoint, pictures, report).</summary>
    public required string OutDir { get; init; }

    /// <summary>A folder with a checkpoint to continue from, or null.</summary>
    public string? ResumeDir { get; init; }

    /// <summary>Save a checkpoint every N epochs (and after the last); 0 = never.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>Skip the pictures (report.html then holds the tables only).</summary>
    public bool NoPlots { get; init; }

    /// <summary>Animation frame every N epochs (null = about 50 frames over the run).</summary>
    public int? AnimationEvery { get; init; }

    /// <summary>Testing aid: behave as if Ctrl+C arrived after this many training batches.</summary>
    public int? StopAfterBatches { get; init; }
}
