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
/// <remarks>
/// With an output folder, the job holds the folder's lock (<see cref="RunFolderLock"/>) from
/// <see cref="Create"/> or <see cref="Resume"/> until it is disposed, so two runs never write into one
/// folder: dispose it (a <c>using</c>) when done with the folder. A job never disposed lets go of its
/// folder when the process exits.
/// </remarks>
/// <example>
/// <code>
/// var result = TrainingJob.Run(PresetCatalog.MnistMlp with { Epochs = 3 }, new TrainingJobOptions { OutDir = "runs/mnist", Threads = 2 });
/// Console.WriteLine(result.Test.Accuracy);
///
/// // Or in two steps, to see the model and the data before training (and to resume a stopped run):
/// using var job = TrainingJob.Resume("runs/mnist");
/// TrainingJobResult again = job.Run(observer, cancellationToken);
/// </code>
/// </example>
public sealed partial class TrainingJob : IDisposable
{
    /// <summary>The model file's name in the output folder.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>The metrics file's name in the output folder.</summary>
    public const string MetricsFileName = "metrics.json";

    /// <summary>The model file's key that marks a model trained to reconstruct its input (its targets are its samples).</summary>
    public const string ReconstructSetting = "reconstruct";

    /// <summary>The checkpoint setting that holds the recipe, so that a run resumes from its folder alone.</summary>
    public const string RecipeSetting = "recipe";

    private readonly TrainingJobOptions _options;
    private readonly Trainer _trainer;
    private readonly Stopwatch _clock;
    private readonly RunFolderLock? _folder;

    private TrainingJob(Recipe recipe, TrainingJobOptions options, string? resumeDir, CheckpointState? resumed, Stopwatch clock,
        RunFolderLock? folder, CancellationToken cancellationToken)
    {
        _options = options;
        _clock = clock;
        _folder = folder;
        Recipe = recipe;
        var manager = new DatasetManager(new DatasetManagerOptions { DataDir = options.DataDir, AllowDownload = options.AllowDownload, OnDownloadProgress = options.OnDownloadProgress });
        Data = Interruptible.Run(() => recipe.Data.Load(manager, recipe.Seed), cancellationToken);
        Loss = recipe.CreateLoss(Data);
        Optimizer = recipe.CreateOptimizer();
        ModelDescription = recipe.DescribeModel(Data);
        var model = Model = recipe.CreateModel(Data);
        Gan = recipe.Model is GanRecipe ganRecipe ? ganRecipe.Wrap(model) : null;
        // Checked before training, not after it.
        if (recipe.TuneThreshold && (Data.Train.ClassCount != 2 || recipe.OutputUnits(Data) != 1))
            throw new ArgumentException($"Choosing a threshold applies to a binary classifier with one logit output (the BinaryCrossEntropyWithLogits loss); {Data.Info.Name} has {(Data.Train.ClassCount == 0 ? "a numeric target (regression)" : $"{Data.Train.ClassCount} classes")}{(Data.Train.ClassCount == 2 ? $" and the model {recipe.OutputUnits(Data)} outputs" : "")}.");
        var engine = StepEngineFor(recipe.Device, options);
        DeviceName = engine?.Device ?? "cpu";
        _trainer = new Trainer((Model?)Gan ?? model, new TrainerOptions
        {
            Engine = engine,
            Loss = Loss,
            Optimizer = Optimizer,
            Schedule = recipe.CreateSchedule(),
            Epochs = recipe.Epochs,
            BatchSize = recipe.BatchSize,
            EvaluationBatchSize = EvaluationBatchSize,
            StepsPerEpoch = recipe.StepsPerEpoch,
            Seed = recipe.Seed,
            ValidationSplit = recipe.ValidationSplit,
            Test = Gan is null ? Data.Test : null, // a GAN has no loss on held-out images to follow
            Regularization = recipe.Regularization is { IsEmpty: false } r ? r : null,
            EarlyStopping = recipe.EarlyStopping,
            ClipGradientNorm = (float?)recipe.ClipGradientNorm,
            BinaryThreshold = recipe.BinaryThreshold,
            TargetScaling = Data.Encoding?.Target,
            CheckpointDir = options.OutDir,
            CheckpointEvery = options.CheckpointEvery,
            CheckpointMetadata = Metadata(finalEpoch: null),
            CheckpointSettings = RecipeJson(recipe) is { } json ? new Dictionary<string, string> { [RecipeSetting] = json } : null,
            Resume = resumeDir is not null,
            ResumeDir = resumeDir,
            Threads = options.Threads,
            GanRealTarget = recipe.Model is GanRecipe { RealTarget: var realTarget } ? (float)realTarget : 1f,
        });
        _trainer.Prepare(Data.Train);
        ResumedFromEpoch = resumed?.Epoch ?? 0;
        ResumedAt = resumed is null ? default : EpochPosition.ReadFrom(resumed, Checkpoint.PathOf(resumeDir!));
    }

    /// <summary>
    /// A job that trains <paramref name="recipe"/> from the start. With an output folder, the folder is
    /// created, checked writable and locked for this job (<see cref="RunFolderLock"/>) first, so that a
    /// folder another run holds, or one that cannot be written, is refused before anything is loaded;
    /// then the data is loaded and the model built. Dispose the job to unlock the folder.
    /// </summary>
    /// <param name="recipe">What to train.</param>
    /// <param name="options">Where and how (null: no output folder, all threads).</param>
    /// <param name="cancellationToken">Ends the wait for the data (a slow download or file) with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">A setting of the recipe or the options is wrong.</exception>
    /// <exception cref="DataFormatException">The data cannot be found or is malformed.</exception>
    /// <exception cref="RunFolderException">The output folder cannot be written, or another run holds it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while loading.</exception>
    public static TrainingJob Create(Recipe recipe, TrainingJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var clock = Stopwatch.StartNew();
        options = Validated(options ?? new TrainingJobOptions());
        recipe.Validate();
        return InFolder(options.OutDir, folder => new TrainingJob(recipe, options, null, null, clock, folder, cancellationToken));
    }

    /// <summary>
    /// A job that continues the run whose checkpoint is in <paramref name="dir"/>, with the recipe
    /// saved there (<paramref name="epochs"/> may extend it), and writes to <paramref name="dir"/>
    /// unless the options name another folder (which is locked as by <see cref="Create"/>). It ends
    /// with the same bits as a run never stopped.
    /// </summary>
    /// <param name="dir">The folder (or the checkpoint file) to continue from.</param>
    /// <param name="options">Where and how (the output folder defaults to <paramref name="dir"/>, or the folder of the checkpoint file given).</param>
    /// <param name="epochs">A new total of epochs (at least the epochs already done); null: the saved recipe's.</param>
    /// <param name="cancellationToken">Ends the wait for the checkpoint or the data with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ModelFileException">No checkpoint there, or it is malformed, of another version, or holds no valid recipe.</exception>
    /// <exception cref="ArgumentException"><paramref name="epochs"/> is out of range, or an option is wrong.</exception>
    /// <exception cref="RunFolderException">The output folder cannot be written, or another run holds it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while loading.</exception>
    public static TrainingJob Resume(string dir, TrainingJobOptions? options = null, int? epochs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var clock = Stopwatch.StartNew();
        string path = Checkpoint.PathOf(dir);
        if (!File.Exists(path)) throw new ModelFileException(path, "no checkpoint to resume from");
        if (epochs is < 1 or > Limits.MaxEpochs) throw new ArgumentException($"Epochs must be in [1, {Limits.MaxEpochs}] (got {epochs}).");
        options ??= new TrainingJobOptions();
        if (options.OutDir is null)
            options = new TrainingJobOptions
            {
                // Given the checkpoint file itself, the run continues in the folder that holds it.
                OutDir = path != dir ? dir : (Path.GetDirectoryName(path) is { Length: > 0 } parent ? parent : "."),
                Threads = options.Threads, DataDir = options.DataDir, AllowDownload = options.AllowDownload, CheckpointEvery = options.CheckpointEvery,
                OnDownloadProgress = options.OnDownloadProgress, Engines = options.Engines,
            };
        options = Validated(options);
        return InFolder(options.OutDir, folder =>
        {
            var state = Interruptible.Run(() => Checkpoint.Load(dir), cancellationToken);
            if (!state.Settings.TryGetValue(RecipeSetting, out var json))
                throw new ModelFileException(path, "the checkpoint holds no recipe (it was written by a Trainer, not a TrainingJob): resume it with the Trainer and the same options");
            Recipe recipe;
            try
            {
                recipe = Presets.Recipe.FromJson(json);
                recipe.Validate();
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new ModelFileException(path, $"'settings.{RecipeSetting}': {Problem(e)}", e);
            }
            if (state.Epoch > recipe.Epochs)
                throw new ModelFileException(path, $"the checkpoint has {state.Epoch} epochs done, more than the {recipe.Epochs} of its recipe");
            if (epochs is int extended)
            {
                bool inside = state.BatchInEpoch > 0;
                if (extended < state.Epoch + (inside ? 1 : 0))
                    throw new ArgumentException($"The checkpoint is {(inside ? $"inside epoch {state.Epoch + 1}" : $"after epoch {state.Epoch}")}: the run cannot be cut to {extended} epochs.");
                recipe = recipe with { Epochs = extended };
                recipe.Validate();
            }
            try
            {
                return new TrainingJob(recipe, options, dir, state, clock, folder, cancellationToken);
            }
            catch (ArgumentException e)
            {
                // The recipe came from the file: a setting that does not fit its data (a validation split
                // that leaves nothing to train on, a CNN for 2-D points) is the file's fault, not a usage error.
                throw new ModelFileException(path, $"'settings.{RecipeSetting}' does not fit its data: {Problem(e)}", e);
            }
        });
    }

    /// <summary><see cref="Create"/> then <see cref="Run(ITrainingObserver?, CancellationToken)"/>.</summary>
    public static TrainingJobResult Run(Recipe recipe, TrainingJobOptions? options = null, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        using var job = Create(recipe, options, cancellationToken);
        return job.Run(observer, cancellationToken);
    }

    /// <summary>The recipe being run.</summary>
    public Recipe Recipe { get; }

    /// <summary>The loaded data (training and test splits, standardisation).</summary>
    public LoadedData Data { get; }

    /// <summary>The model, built (its trained weights once <see cref="Run(ITrainingObserver?, CancellationToken)"/> has run).</summary>
    public Sequential Model { get; }

    /// <summary>For a GAN recipe, the GAN over <see cref="Model"/> (its stack z ↦ D(G(z))), which the trainer trains; else null.</summary>
    public GanModel? Gan { get; }

    /// <summary>Where the steps run: "cpu", or the device engine's name ("cuda", "cpu-accelerator").</summary>
    public string DeviceName { get; }

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
    public int BatchesPerEpoch => Recipe.StepsPerEpoch ?? (TrainingSet.Count + BatchSize - 1) / BatchSize;

    /// <summary>The completed epochs of the checkpoint a resumed job continues from (0: a fresh run).</summary>
    public int ResumedFromEpoch { get; }

    /// <summary>Where in epoch <see cref="ResumedFromEpoch"/> + 1 a resumed job continues (the start, unless it was stopped mid-epoch).</summary>
    public EpochPosition ResumedAt { get; }

    /// <summary>The output folder, or null.</summary>
    public string? OutDir => _options.OutDir;

    /// <summary>
    /// What locking the output folder did that a user may want to know: a lock of a run that is no
    /// longer running taken over, temporary files of killed runs deleted (<see cref="RunFolderLock.Notes"/>).
    /// </summary>
    public IReadOnlyList<string> Notes => _folder?.Notes ?? [];

    /// <summary>Unlocks the output folder (the job cannot run afterwards). Idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        _folder?.Dispose();
    }

    private bool _disposed;

    /// <summary>
    /// Trains, evaluates the test set, and writes the model and metrics.json to the output folder.
    /// Stopped between two batches by <paramref name="cancellationToken"/> (or an observer throwing
    /// <see cref="OperationCanceledException"/>), it saves a checkpoint at that batch in the output folder
    /// and throws <see cref="TrainingInterruptedException"/>; <see cref="Resume"/> continues from there.
    /// </summary>
    /// <exception cref="TrainingDivergedException">
    /// A loss or a weight became NaN or infinite: in a step, after an epoch's last step, in the
    /// validation or test evaluation after an epoch, or in the final evaluation. Nothing is written
    /// then (no model, no metrics); the checkpoint on disk is the last one saved before, all finite.
    /// </exception>
    /// <exception cref="TrainingInterruptedException">Stopped between two batches.</exception>
    /// <exception cref="ModelFileException">Resuming: the checkpoint is malformed, out of range, or belongs to another run.</exception>
    /// <exception cref="ObjectDisposedException">The job was disposed (its output folder is no longer locked).</exception>
    public TrainingJobResult Run(ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = Compute.UseThreads(_options.Threads ?? Compute.Threads);
        int threads = Compute.Threads;
        var history = _trainer.Fit(Data.Train, observer, cancellationToken);
        double chosen = ChooseThreshold();
        float threshold = double.IsNaN(chosen) ? Recipe.BinaryThreshold : (float)chosen;
        var test = Gan is not null ? new EvaluationResult() : Evaluation.Evaluate(Model, Data.Test, Loss, EvaluationBatchSize, threshold, Data.Encoding?.Target);
        // Fit checked every epoch's weights and losses; these are the weights that are written (the best
        // epoch's, when early stopping put them back), so they are checked as written.
        int lastEpoch = history.Epochs.Count > 0 ? history.Epochs[^1].Epoch : ResumedFromEpoch;
        float lastRate = Schedule.RateAt(Math.Max(0, Schedule.Epoch - 1), Math.Max(0, Schedule.Step - 1));
        if (FiniteCheck.InModel(Model) is var (name, value))
            throw new TrainingDivergedException(lastEpoch, $"the model's tensor '{name}'", value, "after the last epoch", lastRate);
        if (Gan is null && !double.IsFinite(test.Loss))
            throw new TrainingDivergedException(lastEpoch, "the final test loss", test.Loss, "after the last epoch", lastRate);

        var result = new TrainingJobResult
        {
            Recipe = Recipe, ModelDescription = ModelDescription, Model = Model, Data = Data, TrainingSet = TrainingSet, ValidationSet = ValidationSet,
            Loss = Loss, Optimizer = Optimizer, Schedule = Schedule, History = history, Test = test,
            BatchSize = BatchSize, Threads = threads, Device = DeviceName, ChosenThreshold = chosen, ResumedFromEpoch = ResumedFromEpoch,
            PeakWorkingSetBytes = ProcessStatistics.PeakWorkingSetBytes(), Extras = LinearFit(), TotalSeconds = _clock.Elapsed.TotalSeconds, OutDir = OutDir,
        };
        if (OutDir is not null)
        {
            var meta = Metadata(history.FinalWeightsEpoch);
            if (!double.IsNaN(chosen)) meta.Extra["chosen_threshold"] = chosen.ToString("R", CultureInfo.InvariantCulture);
            ModelFile.Save(result.ModelPath!, Model, meta);
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
            Task = Gan is not null ? null : Data.Train.ClassCount > 0 ? "classification" : "regression",
            ClassNames = Data.Train.ClassNames.ToArray(),
            FeatureNames = Data.FeatureNames,
            Target = Data.TargetName,
            Standardizer = Data.Standardizer,
            Encoding = Data.Encoding,
            Vocabulary = Data.Vocabulary,
            Extra =
            {
                ["preset"] = Recipe.Name,
                ["seed"] = Recipe.Seed.ToString(CultureInfo.InvariantCulture),
                ["loss"] = Loss.Name,
                ["binary_threshold"] = Recipe.BinaryThreshold.ToString("R", CultureInfo.InvariantCulture),
            },
        };
        meta.Generator = Recipe.Model.Generator(Data);
        if (Recipe.Data.Reconstruct) meta.Extra[ReconstructSetting] = "true";
        if (Gan is not null) GanFile.Describe(meta, Gan);
        if (finalEpoch is int e) meta.Extra["epochs"] = e.ToString(CultureInfo.InvariantCulture);
        if (Loss is SoftmaxCrossEntropy { ClassWeights: { } cw }) meta.Extra["class_weights"] = System.Text.Json.JsonSerializer.Serialize(cw);
        if (Loss is BinaryCrossEntropyWithLogits { ClassWeights: { } bw }) meta.Extra["class_weights"] = System.Text.Json.JsonSerializer.Serialize(bw);
        return meta;
    }

    /// <summary>
    /// Rows per evaluation batch. Every layer of a language model keeps (T, C) values a sample (3 MB for
    /// shakespeare-gpt): evaluated in batches of its training batch, it reuses the buffers that training grew
    /// instead of growing them to <see cref="Evaluation.DefaultBatchSize"/> samples (1.8 GB).
    /// </summary>
    private int EvaluationBatchSize => Recipe.Model is LanguageModelRecipe ? Recipe.BatchSize : Evaluation.DefaultBatchSize;

    /// <summary>
    /// With <see cref="Presets.Recipe.TuneThreshold"/>: the logit threshold maximising F1 on the validation
    /// split, else on the training samples (<see cref="BinaryMetrics.BestF1Threshold"/>); NaN without it.
    /// </summary>
    private double ChooseThreshold()
    {
        if (!Recipe.TuneThreshold) return double.NaN;
        var on = ValidationSet ?? TrainingSet;
        var scored = Evaluation.Evaluate(Model, on, null, Evaluation.DefaultBatchSize, Recipe.BinaryThreshold);
        return BinaryMetrics.BestF1Threshold(scored.Scores, scored.Labels).Threshold;
    }

    /// <summary>
    /// For a one-feature regression by a single Dense layer (y = w z + b with z = (x - μ)/σ): the line
    /// in the feature's own units, intercept b - w μ/σ and slope w/σ, computed in double (times the
    /// target's scale s, plus its mean m, for a standardised target).
    /// </summary>
    private IReadOnlyDictionary<string, double> LinearFit()
    {
        if (Model.Layers is not [Dense { Inputs: 1, Units: 1 } dense] || Data.Train.ClassCount > 0) return new Dictionary<string, double>();
        double w = dense.Weight.Value[0], b = dense.Bias is { } bias ? bias.Value[0] : 0;
        double mu = Data.Standardizer?.Shift[0] ?? 0, sigma = Data.Standardizer?.Scale[0] ?? 1;
        // A standardised target: y = s (w z + b) + m.
        double s = Data.Encoding?.Target?.Scale ?? 1, m = Data.Encoding?.Target?.Mean ?? 0;
        return new Dictionary<string, double> { ["intercept"] = s * (b - w * mu / sigma) + m, ["slope"] = s * w / sigma };
    }

    /// <summary>The engine factory for <paramref name="device"/>: null for the host ("cpu"), else the options' own.</summary>
    private static IStepEngineFactory? StepEngineFor(string device, TrainingJobOptions options)
    {
        if (device == "cpu") return null;
        if (options.Engines is null)
            throw new ArgumentException($"The recipe trains on device '{device}', but no device engine is given (TrainingJobOptions.Engines: ScratchNet.Gpu's GpuEngines.For).");
        return options.Engines(device);
    }

    /// <summary>The recipe as JSON, or null for a model kind that cannot be written (defined outside the library).</summary>
    private static string? RecipeJson(Recipe recipe)
    {
        try { return recipe.ToJson(); }
        catch (NotSupportedException) { return null; }
    }

    /// <summary>An exception's message as the problem part of another message: without the parameter name an ArgumentException appends, nor the final period.</summary>
    private static string Problem(Exception e) =>
        (e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message).TrimEnd('.');

    /// <summary>Locks <paramref name="outDir"/> (when there is one) for the job <paramref name="create"/> makes; unlocks it if that fails.</summary>
    private static TrainingJob InFolder(string? outDir, Func<RunFolderLock?, TrainingJob> create)
    {
        var folder = outDir is null ? null : RunFolderLock.Acquire(outDir);
        try
        {
            return create(folder);
        }
        catch
        {
            folder?.Dispose();
            throw;
        }
    }

    private static TrainingJobOptions Validated(TrainingJobOptions options)
    {
        if (options.Threads is < 1) throw new ArgumentException($"Threads must be at least 1 (got {options.Threads}).");
        if (options.CheckpointEvery < 0) throw new ArgumentException($"CheckpointEvery must be >= 0 (got {options.CheckpointEvery}).");
        return options;
    }
}
