using System.Diagnostics;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training;

/// <summary>
/// Mini-batch training of a <see cref="Models.Model"/> (a <see cref="Sequential"/>, a one-input, one-output <see cref="GraphModel"/>,
/// or a <see cref="GanModel"/>, whose step updates its discriminator, then its generator: <see cref="GanStepEngine"/>). One step:
/// <code>
/// η = schedule(epoch, step)     (the schedule is the one owner of the learning rate)
/// ŷ = model.Forward(x)          L = loss(ŷ, y) + penalty(θ)
/// ∇θ = model.Backward(∂L/∂ŷ) + ∂penalty/∂θ
/// ∇θ ← ∇θ · min(1, c / ‖∇θ‖)     (when gradients are clipped at norm c)
/// optimizer.Step(θ, ∇θ)         (at rate η)
/// </code>
/// Deterministic: the seed fixes the initialisation, the validation split and every shuffle; the
/// kernels sum in a fixed order, so the same seed gives the same bits whatever the thread count.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(model, new TrainerOptions { Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(1e-3f), Epochs = 10, BatchSize = 64, Seed = 1 });
/// TrainingHistory history = trainer.Fit(trainSet, observer);
/// </code>
/// </example>
public sealed partial class Trainer
{
    private Dataset? _preparedFor;
    private LearningRateSchedule? _schedule;

    /// <summary>A trainer for <paramref name="model"/> (built from the seed by <see cref="Prepare"/> or <see cref="Fit"/> if it is not built yet).</summary>
    public Trainer(Model model, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        Model = model;
        Options = options;
    }

    /// <summary>The model being trained.</summary>
    public Model Model { get; }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The samples trained on (the training set less any validation split), after <see cref="Prepare"/>.</summary>
    public Dataset? TrainingSet { get; private set; }

    /// <summary>The validation set (given or split off), if any, after <see cref="Prepare"/>.</summary>
    public Dataset? ValidationSet { get; private set; }

    /// <summary>
    /// The schedule that sets η before every step: <see cref="TrainerOptions.Schedule"/>, or a constant
    /// one at the optimizer's rate. Its base rate is η₀.
    /// </summary>
    public LearningRateSchedule Schedule => _schedule ??= CreateSchedule();

    /// <summary>
    /// Makes the model and the splits ready without training: builds the model (when it is not built
    /// yet) from the seed's initialisation generator and splits off the validation set. <see cref="Fit"/>
    /// calls it; call it first to see the built model, <see cref="TrainingSet"/> and
    /// <see cref="ValidationSet"/> before training (to draw them, for instance).
    /// </summary>
    /// <exception cref="ArgumentException">A bad option, or an empty training set.</exception>
    /// <exception cref="ShapeMismatchException">The model does not take samples of this shape.</exception>
    public void Prepare(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (ReferenceEquals(_preparedFor, train)) return;
        Options.Validate();
        if (train.Count == 0) throw new ArgumentException($"Training set '{train.Name}' is empty.", nameof(train));
        var (initRng, splitRng, _) = Generators();
        (TrainingSet, ValidationSet) = Split(train, splitRng);
        if (!Model.IsBuilt) Model.Build(train.SampleShape, initRng);
        RequireCompatible(TrainingSet);
        if (Model is GanModel gan) GanStepEngine.Require(gan, Options);
        Options.Engine?.Validate(Model, Options, TrainingSet);
        _preparedFor = train;
    }

    /// <summary>
    /// Trains on <paramref name="train"/> for <see cref="TrainerOptions.Epochs"/> epochs (fewer when early
    /// stopping ends the run) and returns the per-epoch metrics.
    /// </summary>
    /// <remarks>
    /// Training can be stopped between two batches by <paramref name="cancellationToken"/> or by the
    /// observer throwing <see cref="OperationCanceledException"/> from <see cref="ITrainingObserver.OnBatchEnd"/>:
    /// Fit then throws <see cref="TrainingInterruptedException"/>, which says how far the epoch got; with
    /// a <see cref="TrainerOptions.CheckpointDir"/>, a checkpoint at that batch is saved first, so
    /// <see cref="TrainerOptions.Resume"/> continues from that batch.
    /// </remarks>
    /// <exception cref="TrainingDivergedException">
    /// A step's loss, the weights after an epoch's last step, or the validation or test loss after an
    /// epoch became NaN or infinite. No checkpoint is written then: the one on disk is the last one
    /// saved before, all finite.
    /// </exception>
    /// <exception cref="TrainingInterruptedException">Training was stopped between two batches.</exception>
    /// <exception cref="ModelFileException">Resuming: the checkpoint is malformed, out of range, or belongs to another run.</exception>
    public TrainingHistory Fit(Dataset train, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var history = new TrainingHistory();
        foreach (var _ in Epochs(train, history, observer, cancellationToken)) { }
        return history;
    }

    /// <summary>
    /// <see cref="Fit"/> one epoch at a time: each <c>MoveNext</c> trains one epoch (with its evaluations,
    /// checkpoint and observer calls, exactly as <see cref="Fit"/> does) and yields its metrics, which are
    /// also added to <paramref name="history"/>. An interactive caller (the playground's play, pause and
    /// step) takes as many epochs as it wants between its own work; enumerating to the end is
    /// <see cref="Fit"/>. Nothing runs before the first <c>MoveNext</c>; the thread-count scope is open
    /// only while an epoch runs, never between two.
    /// </summary>
    /// <remarks>The exceptions are <see cref="Fit"/>'s, thrown by <c>MoveNext</c>.</remarks>
    public IEnumerable<EpochMetrics> Epochs(Dataset train, TrainingHistory history, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        Prepare(train);
        int threadCount = Options.Threads ?? Compute.Threads;
        var o = Options;
        Dataset trainSet = TrainingSet!;
        Dataset? validation = ValidationSet;
        var (_, _, shuffleRng) = Generators();

        int samples = trainSet.Count;
        int batchSize = Math.Min(o.BatchSize, samples);
        // An epoch is a pass over the shuffled samples, or a number of steps on samples drawn with replacement.
        int batches = o.StepsPerEpoch ?? (samples + batchSize - 1) / batchSize;
        long rows = o.StepsPerEpoch is int steps ? (long)steps * batchSize : samples;
        if (rows > Limits.MaxEpochRows)
            throw new ArgumentException($"{o.StepsPerEpoch:N0} steps of {batchSize:N0} samples are {rows:N0} rows an epoch, more than the {Limits.MaxEpochRows:N0} an epoch may draw.");
        int n = (int)rows;
        var order = new int[n];
        var schedule = Schedule;
        schedule.StepsPerEpoch = batches;

        var stopper = o.EarlyStopping is null ? null : new EarlyStopState(Model, o.EarlyStopping);
        string? resumeDir = o.Resume ? o.ResumeDir ?? o.CheckpointDir : null;
        var (done, start) = resumeDir is not null && Checkpoint.Exists(resumeDir)
            ? RestoreCheckpoint(resumeDir, shuffleRng, history, stopper, batches, batchSize, n, trainSet.ClassCount > 0)
            : (0, o.StartPosition);
        if (start.Batch > batches)
            throw new ArgumentException($"The start position, batch {start.Batch}, is past the end of an epoch of {batches} batches.");
        history.FinalWeightsEpoch = done;
        // Created after any checkpoint is restored: an engine starts from the host's weights and optimizer state.
        using var engine = o.Engine?.Create(Model, o, trainSet, batchSize)
            ?? (Model is GanModel gan ? new GanStepEngine(gan, o, trainSet, batchSize) : new CpuStepEngine(Model, o, trainSet, batchSize));
        observer?.OnTrainingStart(o.Epochs, batches);

        for (int epoch = done + 1; epoch <= o.Epochs; epoch++)
        {
            EpochMetrics metrics;
            bool stop;
            using (Compute.UseThreads(threadCount))
            {
                // Each epoch's order depends only on the generator's state, so a resumed run shuffles alike;
                // a checkpoint inside the epoch keeps the state from before this shuffle to draw it again.
                ulong[] beforeShuffle = shuffleRng.GetState();
                if (start.IsStart && cancellationToken.IsCancellationRequested)
                {
                    if (o.CheckpointDir is not null) SaveCheckpoint(o.CheckpointDir, epoch - 1, shuffleRng, history, stopper);
                    throw new TrainingInterruptedException(epoch, batches, default, new OperationCanceledException(cancellationToken));
                }
                if (o.StepsPerEpoch is null)
                {
                    for (int i = 0; i < n; i++) order[i] = i;
                    if (o.Shuffle) shuffleRng.Shuffle<int>(order);
                }
                else for (int i = 0; i < n; i++) order[i] = shuffleRng.NextInt(samples);
                engine.BeginEpoch(order);
                observer?.OnEpochStart(epoch, batches);
                // η of the epoch's first step, also when the epoch resumes after some of its batches.
                float epochRate = schedule.RateAt(schedule.Epoch, schedule.Step - start.Batch);
                var cpuBefore = CpuTime();
                var clock = Stopwatch.StartNew();
                double trainLoss, trainAccuracy;
                try
                {
                    (trainLoss, trainAccuracy) = RunEpoch(engine, trainSet, n, batchSize, epoch, batches, start, observer, cancellationToken);
                }
                catch (TrainingInterruptedException e)
                {
                    engine.CopyToHost();
                    if (o.CheckpointDir is not null) SaveCheckpoint(o.CheckpointDir, epoch - 1, RngAt(beforeShuffle), history, stopper, e.Position);
                    throw;
                }
                start = default;
                engine.CopyToHost(); // evaluation, the finite check, early stopping and checkpoints read the host's model
                double seconds = clock.Elapsed.TotalSeconds;
                double cpuSeconds = CpuTime() - cpuBefore is { } cpu ? cpu.TotalSeconds : double.NaN;

                // Each step's loss shows weights gone non-finite by the step before; the epoch's last step
                // has no next loss in the epoch, so its weights are checked here, once per epoch.
                float lastRate = LastStepRate();
                RequireFiniteModel(epoch, $"after the last step of epoch {epoch}", lastRate);
                clock.Restart();
                EvaluationResult? val = validation is null ? null : Evaluation.Evaluate(Model, validation, o.Loss, o.EvaluationBatchSize, o.BinaryThreshold, o.TargetScaling);
                EvaluationResult? test = o.Test is null ? null : Evaluation.Evaluate(Model, o.Test, o.Loss, o.EvaluationBatchSize, o.BinaryThreshold, o.TargetScaling);
                double evalSeconds = clock.Elapsed.TotalSeconds;
                if (val is not null && !double.IsFinite(val.Loss))
                    throw new TrainingDivergedException(epoch, "the validation loss", val.Loss, $"after epoch {epoch}", lastRate);
                if (test is not null && !double.IsFinite(test.Loss))
                    throw new TrainingDivergedException(epoch, "the test loss", test.Loss, $"after epoch {epoch}", lastRate);

                metrics = new EpochMetrics
                {
                    Epoch = epoch,
                    TrainLoss = trainLoss,
                    TrainAccuracy = trainAccuracy,
                    ValidationLoss = val?.Loss ?? double.NaN,
                    ValidationAccuracy = val?.Accuracy ?? double.NaN,
                    TestLoss = test?.Loss ?? double.NaN,
                    TestAccuracy = test?.Accuracy ?? double.NaN,
                    LearningRate = epochRate,
                    Seconds = seconds,
                    CpuSeconds = cpuSeconds,
                    EvaluationSeconds = evalSeconds,
                };
                history.Add(metrics);
                history.FinalWeightsEpoch = epoch;
                schedule.AdvanceEpoch(val?.Loss ?? trainLoss);
                stop = stopper is not null && stopper.ShouldStop(epoch, val!.Loss);
                history.StoppedEarly = stop && epoch < o.Epochs;
                if (o.CheckpointDir is not null && (epoch == o.Epochs || stop || (o.CheckpointEvery > 0 && epoch % o.CheckpointEvery == 0)))
                    SaveCheckpoint(o.CheckpointDir, epoch, shuffleRng, history, stopper);
                observer?.OnEpochEnd(metrics);
            }
            yield return metrics;
            if (stop) break;
        }

        if (stopper is not null && o.EarlyStopping!.RestoreBestWeights && stopper.BestEpoch > 0 && stopper.BestEpoch != history.FinalWeightsEpoch)
        {
            stopper.Restore();
            history.FinalWeightsEpoch = stopper.BestEpoch;
        }
        observer?.OnTrainingEnd(history);
    }

    /// <summary>
    /// One pass over the shuffled training set from batch <paramref name="from"/>.Batch + 1 (earlier
    /// batches were done by an interrupted run), each step carried out by <paramref name="engine"/>;
    /// returns the mean loss and the running accuracy.
    /// </summary>
    private (double Loss, double Accuracy) RunEpoch(IStepEngine engine, Dataset trainSet, int n, int batchSize, int epoch, int batches,
        EpochPosition from, ITrainingObserver? observer, CancellationToken cancellationToken)
    {
        var o = Options;
        var schedule = Schedule;
        bool classify = trainSet.ClassCount > 0;
        double lossSum = from.LossSum;
        long correct = from.Correct, seen = from.Seen, decided = from.Decisions;

        for (int b = from.Batch; b < batches; b++)
        {
            int start = b * batchSize, count = Math.Min(batchSize, n - start);
            float rate = schedule.CurrentRate;
            o.Optimizer.LearningRate = rate; // the host's optimizer, which the host engine steps with
            engine.Step(start, count, rate);
            var (loss, batchCorrect, batchDecided) = engine.ReadOutcome();
            if (!float.IsFinite(loss))
                throw new TrainingDivergedException(epoch, b + 1, batches, loss, rate);
            correct += batchCorrect;
            decided += batchDecided;
            schedule.AdvanceStep();

            lossSum += (double)loss * count;
            seen += count;
            // The batch is complete here (step taken, sums updated): a stop now loses nothing.
            try
            {
                observer?.OnBatchEnd(new BatchProgress(epoch, b + 1, batches, loss, lossSum / seen,
                    classify ? correct / (double)decided : double.NaN, rate));
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException e) when (e is not TrainingInterruptedException)
            {
                throw new TrainingInterruptedException(epoch, batches, new EpochPosition(b + 1, lossSum, correct, seen, decided == seen ? 0 : decided), e);
            }
        }
        return (lossSum / seen, classify ? correct / (double)decided : double.NaN);
    }

    /// <summary>η of the last step taken (the schedule's position is after it).</summary>
    private float LastStepRate()
    {
        var schedule = Schedule;
        return schedule.RateAt(schedule.Epoch, Math.Max(0, schedule.Step - 1));
    }

    /// <summary>Throws <see cref="TrainingDivergedException"/> when a parameter or buffer holds NaN or ±∞.</summary>
    private void RequireFiniteModel(int epoch, string where, float rate)
    {
        if (FiniteCheck.InModel(Model) is var (name, value))
            throw new TrainingDivergedException(epoch, $"the model's tensor '{name}'", value, where, rate);
    }

    /// <summary>The seed's generators, forked in a fixed order: initialisation, validation split, shuffles.</summary>
    private (Rng Init, Rng Split, Rng Shuffle) Generators()
    {
        var root = new Rng(Options.Seed);
        Rng init = root.Fork(), split = root.Fork(), shuffle = root.Fork();
        return (init, split, shuffle);
    }

    private LearningRateSchedule CreateSchedule()
    {
        var schedule = Options.Schedule ?? new ConstantSchedule();
        if (!schedule.HasBaseRate) schedule.BaseRate = Options.Optimizer.LearningRate;
        return schedule;
    }

    private static Rng RngAt(ulong[] state)
    {
        var rng = new Rng(0);
        rng.SetState(state);
        return rng;
    }

    private static TimeSpan? CpuTime() => ProcessStatistics.CpuTime();

    private (Dataset Train, Dataset? Validation) Split(Dataset train, Rng splitRng)
    {
        if (Options.Validation is not null) return (train, Options.Validation);
        if (Options.ValidationSplit == 0) return (train, null);
        int n = train.Count;
        int held = (int)Math.Round(n * Options.ValidationSplit);
        if (held < 1 || held >= n)
            throw new ArgumentException($"A validation split of {Options.ValidationSplit} leaves {n - held} training and {held} validation samples of {n}: both need at least one.");
        int[] perm = splitRng.Permutation(n);
        int[] trainIdx = perm[..(n - held)], valIdx = perm[(n - held)..];
        Array.Sort(trainIdx);
        Array.Sort(valIdx);
        return (new SubsetDataset(train.Name + "/train-split", train, trainIdx), new SubsetDataset(train.Name + "/validation-split", train, valIdx));
    }

    private void RequireCompatible(Dataset data)
    {
        if (!Model.InputShape.AsSpan().SequenceEqual(data.SampleShape))
            throw new ShapeMismatchException($"The model's input shape does not match the samples of '{data.Name}'",
                Tensor.FormatShape(Model.InputShape), Tensor.FormatShape(data.SampleShape));
    }
}
