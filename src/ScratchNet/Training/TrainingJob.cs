using ScratchNet.IO;
using System.Diagnostics;
using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Training.Presets;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training;

/// <summary>
/// The one training pipeline: runs a <see cref="Recipe"/> end to end. It loads the data, builds the
/// model, trains it with a <see cref="Trainer"/> (the test set evaluated after every epoch, a checkpoint
/// after each, stoppable between batches), evaluates it once more, and writes DIR/model.safetensors,
/// DIR/metrics.json and DIR/checkpoint.safetensors, each atomically. <c>scratchnet train</c> is this
/// job with progress bars and pictures attached as observers, so the same recipe and seed give the
/// same bits through the library and the command line.
/// </summary>
/// <example>
/// <code>
/// var result = TrainingJob.Run(PresetCatalog.MnistMlp with { Epochs = 3 }, new TrainingJobOptions { OutDir = "runs/mnist", Threads = 2 });
/// Console.WriteLine(result.Test.Accuracy);
///
/// // Or in two steps, to see the model and the data before training (and to resume a stopped run):
/// var job = TrainingJob.Resume("runs/mnist");
/// TrainingJobResult again = job.Run(observer, cancellationToken);
/// </code>
/// </example>
public sealed partial class TrainingJob
{
    /// <summary>The model file's name in the output folder.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>The metrics file's name in the output folder.</summary>
    public const string MetricsFileName = "metrics.json";

    /// <summary>The checkpoint setting that holds the recipe, so that a run resumes from its folder alone.</summary>
    public const string RecipeSetting = "recipe";

    private readonly TrainingJobOptions _options;
    private readonly Trainer _trainer;
    private readonly Stopwatch _clock;

    private TrainingJob(Recipe recipe, TrainingJobOptions options, string? resumeDir, CheckpointState? resumed, Stopwatch clock)
    {
        recipe.Validate();
        _options = options;
        _clock = clock;
        Recipe = recipe;
        var manager = new DatasetManager(new DatasetManagerOptions { DataDir = options.DataDir, AllowDownload = options.AllowDownload });
        Data = recipe.Data.Load(manager, recipe.Seed);
        Loss = recipe.CreateLoss(Data);
        Optimizer = recipe.CreateOptimizer();
        ModelDescription = recipe.DescribeModel(Data);
        var model = recipe.CreateModel(Data);
        _trainer = new Trainer(model, new TrainerOptions
        {
            Loss = Loss,
            Optimizer = Optimizer,
            Schedule = recipe.CreateSchedule(),
            Epochs = recipe.Epochs,
            BatchSize = recipe.BatchSize,
            Seed = recipe.Seed,
            ValidationSplit = recipe.ValidationSplit,
            Test = Data.Test,
            Regularization = recipe.Regularization is { IsEmpty: false } r ? r : null,
            EarlyStopping = recipe.EarlyStopping,
            BinaryThreshold = recipe.BinaryThreshold,
            CheckpointDir = options.OutDir,
            CheckpointEvery = options.CheckpointEvery,
            CheckpointMetadata = Metadata(finalEpoch: null),
            CheckpointSettings = RecipeJson(recipe) is { } json ? new Dictionary<string, string> { [RecipeSetting] = json } : null,
            Resume = resumeDir is not null,
            ResumeDir = resumeDir,
            Threads = options.Threads,
        });
        _trainer.Prepare(Data.Train);
        ResumedFromEpoch = resumed?.Epoch ?? 0;
        ResumedAt = resumed is null ? default : EpochPosition.ReadFrom(resumed, Checkpoint.PathOf(resumeDir!));
    }

    /// <summary>A job that trains <paramref name="recipe"/> from the start: the data is loaded and the model built now.</summary>
    /// <exception cref="ArgumentException">A setting of the recipe or the options is wrong.</exception>
    /// <exception cref="DataFormatException">The data cannot be found or is malformed.</exception>
    public static TrainingJob Create(Recipe recipe, TrainingJobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var clock = Stopwatch.StartNew();
        return new TrainingJob(recipe, Validated(options ?? new TrainingJobOptions()), null, null, clock);
    }

    /// <summary>
    /// A job that continues the run whose checkpoint is in <paramref name="dir"/>, with the recipe
    /// saved there (<paramref name="epochs"/> may extend it), and writes to <paramref name="dir"/>
    /// unless the options name another folder. It ends with the same bits as a run never stopped.
    /// </summary>
    /// <exception cref="ModelFileException">No checkpoint there, or it is malformed, of another version, or holds no recipe.</exception>
    public static TrainingJob Resume(string dir, TrainingJobOptions? options = null, int? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var clock = Stopwatch.StartNew();
        string path = Checkpoint.PathOf(dir);
        if (!File.Exists(path)) throw new ModelFileException(path, "no checkpoint to resume from");
        var state = Checkpoint.Load(dir);
        if (!state.Settings.TryGetValue(RecipeSetting, out var json))
            throw new ModelFileException(path, "the checkpoint holds no recipe (it was written by a Trainer, not a TrainingJob): resume it with the Trainer and the same options");
        Recipe recipe;
        try { recipe = Presets.Recipe.FromJson(json); }
        catch (FormatException e) { throw new ModelFileException(path, $"'settings.{RecipeSetting}': {e.Message}", e); }
        if (epochs is int extended) recipe = recipe with { Epochs = extended };
        options ??= new TrainingJobOptions();
        if (options.OutDir is null)
            options = new TrainingJobOptions
            {
                OutDir = dir, Threads = options.Threads, DataDir = options.DataDir, AllowDownload = options.AllowDownload, CheckpointEvery = options.CheckpointEvery,
            };
        return new TrainingJob(recipe, Validated(options), dir, state, clock);
    }

    /// <summary><see cref="Create"/> then <see cref="Run(ITrainingObserver?, CancellationToken)"/>.</summary>
    public static TrainingJobResult Run(Recipe recipe, TrainingJobOptions? options = null, ITrainingObserver? observer = null, CancellationToken cancellationToken = default) =>
        Create(recipe, options).Run(observer, cancellationToken);

    /// <summary>The recipe being run.</summary>
    public Recipe Recipe { get; }

    /// <summary>The loaded data (training and test splits, standardisation).</summary>
    public LoadedData Data { get; }

    /// <summary>The model, built (its trained weights once <see cref="Run(ITrainingObserver?, CancellationToken)"/> has run).</summary>
    public Sequential Model => _trainer.Model;

    /// <summary>The model in words ("784-256-128-10, ReLU").</summary>
    public string ModelDescription { get; }

    /// <summary>The samples trained on (the training split less any validation split).</summary>
    public Dataset TrainingSet => _trainer.TrainingSet!;

    /// <summary>The validation split, if the recipe asks for one.</summary>
    public Dataset? ValidationSet => _trainer.ValidationSet;

    /// <summary>The loss.</summary>
    public Loss Loss { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The schedule, the one owner of η (its base rate is η₀).</summary>
    public LearningRateSchedule Schedule => _trainer.Schedule;

    /// <summary>Samples per step.</summary>
    public int BatchSize => Math.Min(Recipe.BatchSize, TrainingSet.Count);

    /// <summary>Steps per epoch.</summary>
    public int BatchesPerEpoch => (TrainingSet.Count + BatchSize - 1) / BatchSize;

    /// <summary>The completed epochs of the checkpoint a resumed job continues from (0: a fresh run).</summary>
    public int ResumedFromEpoch { get; }

    /// <summary>Where in epoch <see cref="ResumedFromEpoch"/> + 1 a resumed job continues (the start, unless it was stopped mid-epoch).</summary>
    public EpochPosition ResumedAt { get; }

    /// <summary>The output folder, or null.</summary>
    public string? OutDir => _options.OutDir;

    /// <summary>
    /// Trains, evaluates the test set, and writes the model and metrics.json to the output folder.
    /// Stopped between two batches by <paramref name="cancellationToken"/> (or an observer throwing
    /// <see cref="OperationCanceledException"/>), it saves a checkpoint at that batch in the output folder
    /// and throws <see cref="TrainingInterruptedException"/>; <see cref="Resume"/> continues from there.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="TrainingInterruptedException">Stopped between two batches.</exception>
    public TrainingJobResult Run(ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        if (OutDir is not null) Directory.CreateDirectory(OutDir);
        using var scope = Compute.UseThreads(_options.Threads ?? Compute.Threads);
        int threads = Compute.Threads;
        var history = _trainer.Fit(Data.Train, observer, cancellationToken);
        var test = Evaluation.Evaluate(Model, Data.Test, Loss, Evaluation.DefaultBatchSize, Recipe.BinaryThreshold);

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var result = new TrainingJobResult
        {
            Recipe = Recipe, ModelDescription = ModelDescription, Model = Model, Data = Data, TrainingSet = TrainingSet, ValidationSet = ValidationSet,
            Loss = Loss, Optimizer = Optimizer, Schedule = Schedule, History = history, Test = test,
            BatchSize = BatchSize, Threads = threads, ResumedFromEpoch = ResumedFromEpoch,
            PeakWorkingSetBytes = process.PeakWorkingSet64, Extras = LinearFit(), TotalSeconds = _clock.Elapsed.TotalSeconds, OutDir = OutDir,
        };
        if (OutDir is not null)
        {
            ModelFile.Save(result.ModelPath!, Model, Metadata(history.FinalWeightsEpoch));
            AtomicFile.Write(result.MetricsPath!, stream =>
            {
                using var w = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true });
                WriteMetrics(w, result, summaryOnly: false);
            });
        }
        return result;
    }

    /// <summary>
    /// What the model file (and every checkpoint) says about the model: the dataset, the task, class
    /// and feature names, the target, the standardisation, and the recipe's name, seed, loss and
    /// binary threshold; the model file adds the epoch whose weights it holds.
    /// </summary>
    private ModelMetadata Metadata(int? finalEpoch)
    {
        var meta = new ModelMetadata
        {
            Dataset = Recipe.Data.Dataset,
            Task = Data.Train.ClassCount > 0 ? "classification" : "regression",
            ClassNames = Data.Train.ClassNames.ToArray(),
            FeatureNames = Data.FeatureNames,
            Target = Data.TargetName,
            Standardizer = Data.Standardizer,
            Extra =
            {
                ["preset"] = Recipe.Name,
                ["seed"] = Recipe.Seed.ToString(CultureInfo.InvariantCulture),
                ["loss"] = Loss.Name,
                ["binary_threshold"] = Recipe.BinaryThreshold.ToString("R", CultureInfo.InvariantCulture),
            },
        };
        if (finalEpoch is int e) meta.Extra["epochs"] = e.ToString(CultureInfo.InvariantCulture);
        return meta;
    }

    /// <summary>
    /// For a one-feature regression by a single Dense layer (y = w z + b with z = (x - μ)/σ): the line
    /// in the feature's own units, intercept b - w μ/σ and slope w/σ, computed in double.
    /// </summary>
    private IReadOnlyDictionary<string, double> LinearFit()
    {
        if (Model.Layers is not [Dense { Inputs: 1, Units: 1 } dense] || Data.Train.ClassCount > 0) return new Dictionary<string, double>();
        double w = dense.Weight.Value[0], b = dense.Bias is { } bias ? bias.Value[0] : 0;
        double mu = Data.Standardizer?.Shift[0] ?? 0, sigma = Data.Standardizer?.Scale[0] ?? 1;
        return new Dictionary<string, double> { ["intercept"] = b - w * mu / sigma, ["slope"] = w / sigma };
    }

    /// <summary>The recipe as JSON, or null for a model kind that cannot be written (defined outside the library).</summary>
    private static string? RecipeJson(Recipe recipe)
    {
        try { return recipe.ToJson(); }
        catch (NotSupportedException) { return null; }
    }

    private static TrainingJobOptions Validated(TrainingJobOptions options)
    {
        if (options.Threads is < 1) throw new ArgumentException($"Threads must be at least 1 (got {options.Threads}).");
        if (options.CheckpointEvery < 0) throw new ArgumentException($"CheckpointEvery must be >= 0 (got {options.CheckpointEvery}).");
        return options;
    }
}
