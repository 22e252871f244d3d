using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training;

/// <summary>How a <see cref="Trainer"/> trains: epochs, batches, loss, optimizer, and the optional extras.</summary>
public sealed class TrainerOptions
{
    /// <summary>The loss to minimise (required).</summary>
    public required Loss Loss { get; init; }

    /// <summary>The optimizer (required). Its learning rate when training starts is η₀ for a schedule without a base rate; from then on the schedule sets it before every step.</summary>
    public required Optimizer Optimizer { get; init; }

    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per step. Use the dataset size (or <see cref="int.MaxValue"/>) for full-batch gradient descent.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Training counted in steps: each epoch is this many steps on batches drawn at random with
    /// replacement (nanoGPT's random blocks), instead of one pass over the shuffled training set; the
    /// evaluations, checkpoints and the schedule's epochs follow these epochs. Null: one pass per epoch.
    /// </summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>Seeds the model initialisation (when the model is not built yet), the validation split and the shuffles.</summary>
    public ulong Seed { get; init; }

    /// <summary>Whether to visit the training samples in a new random order each epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>A separate validation set (takes precedence over <see cref="ValidationSplit"/>).</summary>
    public Dataset? Validation { get; init; }

    /// <summary>Fraction in [0, 1) of the training set held out for validation, chosen by a seeded permutation.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>A test set evaluated after every epoch for reporting only (never used for decisions).</summary>
    public Dataset? Test { get; init; }

    /// <summary>The learning-rate schedule, the one owner of η during training (null: constant at the optimizer's rate).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>L1, L2 and decoupled weight decay (null = none).</summary>
    public Regularization? Regularization { get; init; }

    /// <summary>Early stopping on the validation loss (null = train all epochs).</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// c of gradient clipping by global norm (null = none): before each step every gradient is scaled by
    /// min(1, c / (‖g‖ + 10⁻⁶)), ‖g‖ over all parameters (see <see cref="GradientClipping"/>).
    /// </summary>
    public float? ClipGradientNorm { get; init; }

    /// <summary>For a single-output classifier: class 1 when the output ≥ this (0.5 for sigmoid outputs, 0 for logits).</summary>
    public float BinaryThreshold { get; init; } = 0.5f;

    /// <summary>
    /// A regression trained on a standardised target: validation and test losses are computed on outputs
    /// and targets restored to the target's units (null: as they are).
    /// </summary>
    public ScratchNet.Data.TargetScaling? TargetScaling { get; init; }

    /// <summary>Rows per batch when evaluating validation and test sets.</summary>
    public int EvaluationBatchSize { get; init; } = Evaluation.DefaultBatchSize;

    /// <summary>
    /// A folder where a checkpoint (DIR/checkpoint.safetensors) is written atomically after every
    /// <see cref="CheckpointEvery"/>-th epoch, after the last, and when training is interrupted (null = none).
    /// </summary>
    public string? CheckpointDir { get; init; }

    /// <summary>With <see cref="CheckpointDir"/>: a checkpoint after every N-th epoch and after the last; 0: only when interrupted.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>
    /// What checkpoints say about the model besides its architecture (dataset, task, class names,
    /// standardisation, extras), so that a checkpoint used as a model file behaves as the model it holds.
    /// </summary>
    public ModelMetadata? CheckpointMetadata { get; init; }

    /// <summary>More settings to keep in every checkpoint under "settings.{key}" (a run's recipe, for instance).</summary>
    public IReadOnlyDictionary<string, string>? CheckpointSettings { get; init; }

    /// <summary>
    /// Where the steps run (null: on the host, with the model's own kernels). A device engine keeps the
    /// parameters, the optimizer's state and the training set in device memory during <see cref="Trainer.Fit"/>
    /// and copies the parameters and state back after every epoch; the loop, the schedule, evaluation,
    /// checkpoints and observers stay the trainer's.
    /// </summary>
    public IStepEngineFactory? Engine { get; init; }

    /// <summary>Compute threads during <see cref="Trainer.Fit"/> (null: <see cref="Compute.Threads"/> as it is). The results do not depend on it.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// For a <see cref="Models.GanModel"/>: the target of the real images in the discriminator's loss,
    /// L_D = −(1/2B) Σ [t log σ(D(x)) + (1 − t) log(1 − σ(D(x))) + log(1 − σ(D(x̂)))]. Below 1 it is
    /// one-sided label smoothing (Salimans et al. 2016, t = 0.9): D gains nothing from a real image's
    /// logit beyond log(t / (1 − t)), so it cannot grow over-confident; the generated images' target
    /// stays 0 and the generator's loss is unchanged. In (0.5, 1]; default 1.
    /// </summary>
    public float GanRealTarget { get; init; } = 1f;

    /// <summary>
    /// Continue from the checkpoint in <see cref="CheckpointDir"/> when there is one: the run goes on
    /// with the same weights, optimizer state, shuffles, dropout masks and schedule, so it ends with
    /// the same bits as an uninterrupted run. Early stopping starts afresh.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>The folder whose checkpoint <see cref="Resume"/> continues from (null: <see cref="CheckpointDir"/>).</summary>
    public string? ResumeDir { get; init; }

    /// <summary>
    /// Where the first epoch of <see cref="Trainer.Fit"/> starts (default: its first batch). An epoch
    /// interrupted earlier (<see cref="TrainingInterruptedException.Position"/>) is finished by a run with
    /// the same seed and this position: the epoch's order is drawn as usual and the batches already done
    /// are skipped, and the running sums carry on, so the weights and the epoch's metrics come out as in
    /// an uninterrupted run. With <see cref="Resume"/>, the checkpoint's own position is used instead.
    /// </summary>
    public EpochPosition StartPosition { get; init; }

    internal void Validate()
    {
        if (!(GanRealTarget > 0.5f && GanRealTarget <= 1f)) throw new ArgumentOutOfRangeException(nameof(GanRealTarget), $"A GAN's target for real images must be in (0.5, 1] (got {GanRealTarget}).");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), $"Epochs must be >= 0 (got {Epochs}).");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"The batch size must be at least 1 (got {BatchSize}).");
        if (StepsPerEpoch is < 1 or > Limits.MaxStepsPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(StepsPerEpoch), $"The steps per epoch must be 1 to {Limits.MaxStepsPerEpoch:N0} (got {StepsPerEpoch}).");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationSplit), $"The validation split must be in [0, 1) (got {ValidationSplit}).");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), $"CheckpointEvery must be >= 0 (got {CheckpointEvery}).");
        if (Threads is < 1) throw new ArgumentOutOfRangeException(nameof(Threads), $"Threads must be at least 1 (got {Threads}).");
        if (EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), $"The evaluation batch size must be at least 1 (got {EvaluationBatchSize}).");
        if (Resume && (ResumeDir ?? CheckpointDir) is null) throw new ArgumentException("Resume needs a ResumeDir or CheckpointDir to resume from.");
        if (Resume && !StartPosition.IsStart) throw new ArgumentException("Give either Resume (the checkpoint holds the position) or StartPosition, not both.");
        if (StartPosition.Batch < 0 || StartPosition.Seen < 0 || StartPosition.Correct < 0 || StartPosition.Decided < 0 || StartPosition.Correct > StartPosition.Decisions)
            throw new ArgumentOutOfRangeException(nameof(StartPosition), $"The start position {StartPosition} has a negative count, or more correct rows than rows seen.");
        if (ClipGradientNorm is { } clip && (!(clip > 0) || float.IsInfinity(clip)))
            throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), $"The gradient clipping norm must be a positive number (got {clip}).");
        Regularization?.Validate();
        EarlyStopping?.Validate();
        if (EarlyStopping is not null && Validation is null && ValidationSplit == 0)
            throw new ArgumentException("Early stopping needs a validation set: set Validation or ValidationSplit.");
    }
}
