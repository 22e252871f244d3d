namespace ScratchNet.Training;

/// <summary>Where and how a <see cref="TrainingJob"/> runs; none of it changes the numbers it computes.</summary>
public sealed class TrainingJobOptions
{
    /// <summary>
    /// The folder for model.safetensors, metrics.json and checkpoint.safetensors (created when needed;
    /// null: write nothing). A resumed job defaults to the folder it resumes from. The job locks it
    /// (<see cref="IO.RunFolderLock"/>) from its creation until it is disposed.
    /// </summary>
    public string? OutDir { get; init; }

    /// <summary>Compute threads (null: <see cref="Compute.Threads"/> as it is). The results do not depend on it.</summary>
    public int? Threads { get; init; }

    /// <summary>A folder searched first for dataset files (null: the usual search).</summary>
    public string? DataDir { get; init; }

    /// <summary>Whether a missing dataset may be downloaded.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Receives the progress of a dataset download (null: silent); see <see cref="Data.DatasetManagerOptions.OnDownloadProgress"/>.</summary>
    public Action<Data.DownloadProgress>? OnDownloadProgress { get; init; }

    /// <summary>
    /// The engine factory for a recipe's <see cref="Presets.Recipe.Device"/> other than "cpu" (the
    /// command line gives ScratchNet.Gpu's); null: only "cpu" can run. It may throw
    /// <see cref="ArgumentException"/> for a device it cannot open (no CUDA device, say).
    /// </summary>
    public Func<string, IStepEngineFactory>? Engines { get; init; }

    /// <summary>With <see cref="OutDir"/>: a checkpoint after every N-th epoch and after the last; 0: only when interrupted.</summary>
    public int CheckpointEvery { get; init; } = 1;
}
