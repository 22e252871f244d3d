using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Cli.Progress;
using ScratchNet.Cli.Reports;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Cli.Training;

/// <summary>
/// One `scratchnet train` run: load the data, build the model, train epoch by epoch with a checkpoint
/// after each, evaluate, and write the model, metrics.json, the pictures and report.html.
/// </summary>
/// <remarks>
/// Each epoch is one <see cref="Trainer.Fit"/> of one epoch whose seed is derived from the run's seed
/// and the epoch number (it fixes that epoch's shuffle). Everything else that carries over from epoch to
/// epoch (weights, optimizer state, schedule position, dropout generators, early-stopping state, the
/// history) is in the checkpoint, so a run resumed after epoch E continues with the same bits as a run
/// that never stopped. Ctrl+C or SIGTERM stops after the batch in progress and saves a checkpoint at
/// that batch (<see cref="CheckpointState.BatchInEpoch"/>, with the running sums of the epoch's train
/// metrics): the epoch's seed draws the same order again, so --resume skips the batches done and
/// finishes the epoch with the same weights and the same train loss as a run that never stopped. The
/// command then exits with 130.
/// </remarks>
public static class RunPipeline
{
    private const string RunKey = "run", HistoryKey = "history", EarlyKey = "early_stopping", BestPrefix = "best.";

    /// <summary>Runs <paramref name="request"/>; progress goes to <paramref name="view"/>, notes to it too.</summary>
    public static RunOutcome Run(RunRequest request, IProgressView view, CancellationToken cancel)
    {
        var s = request.Settings;
        var preset = PresetOverrides.Resolve(s);
        int epochs = preset.Epochs;
        var clock = Stopwatch.StartNew();
        int threads = s.Threads ?? Compute.Threads;
        using (Compute.UseThreads(threads))
        {
            var manager = new DatasetManager(new DatasetManagerOptions { DataDir = s.DataDir });
            var data = preset.LoadData(manager, s.Seed);
            data = data with { Train = Limit(data.Train, s.LimitTrain, "--limit-train"), Test = Limit(data.Test, s.LimitTest, "--limit-test") };
            if (data.Test.Count == 0) data = data with { Test = data.Train };

            // The same generators as Trainer.Fit: initialisation, then the validation split.
            var root = new Rng(s.Seed);
            Rng initRng = root.Fork(), splitRng = root.Fork();
            double split = s.ValidationSplit ?? (s.EarlyStopping is not null ? 0.1 : 0);
            var (train, validation) = Split(data.Train, split, splitRng);

            var model = preset.CreateModel();
            model.Build(train.SampleShape, initRng);
            var loss = preset.CreateLoss();
            var optimizer = preset.CreateOptimizer();
            var schedule = preset.CreateSchedule(epochs);
            bool adamW = optimizer.Name == "AdamW";
            var regularization = new Regularization
            {
                L1 = (float)(s.L1 ?? 0), L2 = (float)(s.L2 ?? 0), DecoupledWeightDecay = adamW ? 0 : (float)(s.WeightDecay ?? 0),
            };
            int batchSize = Math.Min(preset.BatchSize, train.Count);
            int batches = (train.Count + batchSize - 1) / batchSize;

            var history = new List<EpochMetrics>();
            var early = new EarlyStopTracker(s.EarlyStopping);
            int startEpoch = 0;
            EpochPosition resumeAt = default;
            if (request.ResumeDir is not null)
            {
                var state = Checkpoint.Load(request.ResumeDir);
                string source = Checkpoint.PathOf(request.ResumeDir);
                state.RestoreModel(model, source);
                state.RestoreOptimizer(optimizer, source);
                if (schedule is not null && state.Schedule.Count > 0) schedule.SetState(state.Schedule);
                if (state.Settings.TryGetValue(HistoryKey, out var h)) history.AddRange(HistoryFromJson(h));
                early.Restore(state);
                startEpoch = state.Epoch;
                resumeAt = EpochPosition.ReadFrom(state, source);
                if (!resumeAt.IsStart && startEpoch + 1 > epochs)
                    throw new CliError($"--epochs {epochs}: the checkpoint in {request.ResumeDir} stops inside epoch {startEpoch + 1}, so the run needs at least {startEpoch + 1} epochs");
                if (!resumeAt.IsStart && resumeAt.Batch > batches)
                    throw new CliError($"{source} stops after batch {resumeAt.Batch} of epoch {startEpoch + 1}, but an epoch has {batches} batches", ExitCodes.InputError);
                view.Note(resumeAt.IsStart
                    ? $"resumed from {source} after epoch {startEpoch}"
                    : $"resumed from {source} in epoch {startEpoch + 1} after batch {resumeAt.Batch} of {batches}");
            }

            var pictures = request.NoPlots ? null : new RunPictures(request.OutDir, preset, data, train, model, epochs, request.AnimationEvery);
            if (startEpoch == 0 && resumeAt.IsStart) pictures?.OnEpoch(0, double.NaN, last: false);

            CheckpointState Capture(int epoch)
            {
                var state = CheckpointState.Capture(model, optimizer, null, epoch, globalStep: optimizer.StepCount);
                if (schedule is not null) foreach (var (k, v) in schedule.GetState()) state.Schedule[k] = v;
                state.Settings[RunKey] = s.ToJson();
                state.Settings[HistoryKey] = HistoryToJson(history);
                early.Save(state);
                return state;
            }

            Directory.CreateDirectory(request.OutDir);
            var lastState = Capture(startEpoch);
            bool lastSaved = false;
            var observer = new ProgressObserver(view, batchSize, train.Count, cancel, request.StopAfterBatches);
            string title = $"{preset.Name}: {preset.ModelDescription}, {train.Count} samples, {epochs} epochs, batch {batchSize}";
            view.Run(title, epochs, () =>
            {
                for (int epoch = startEpoch + 1; epoch <= epochs; epoch++)
                {
                    observer.Epoch = epoch;
                    var trainer = new Trainer(model, new TrainerOptions
                    {
                        Loss = loss,
                        Optimizer = optimizer,
                        Epochs = 1,
                        BatchSize = batchSize,
                        Seed = EpochSeed(s.Seed, epoch),
                        Validation = validation,
                        Test = data.Test,
                        Schedule = schedule,
                        Regularization = regularization.IsEmpty ? null : regularization,
                        BinaryThreshold = preset.BinaryThreshold,
                        StartPosition = epoch == startEpoch + 1 ? resumeAt : default,
                    });
                    TrainingHistory fit;
                    try
                    {
                        if (cancel.IsCancellationRequested) throw new OperationCanceledException();
                        fit = trainer.Fit(train, observer);
                    }
                    catch (TrainingDivergedException e)
                    {
                        throw new TrainingDivergedException(epoch, e.Batch, batches, e.Loss, optimizer.LearningRate);
                    }
                    catch (OperationCanceledException e)
                    {
                        // Where the epoch got: the trainer says; a stop before its first batch is where this epoch started.
                        var at = e is TrainingInterruptedException stopped ? stopped.Position : trainer.Options.StartPosition;
                        string why = observer.SimulatedStop ? "stopped by --stop-after-batches" : "interrupted";
                        string resume = $"continue with 'scratchnet train --resume {request.OutDir}'";
                        if (at.IsStart)
                        {
                            if (!lastSaved) Checkpoint.Save(request.OutDir, lastState);
                            throw new CliError($"{why} at the start of epoch {epoch}: checkpoint after epoch {lastState.Epoch} saved in {request.OutDir}; {resume}", ExitCodes.Interrupted);
                        }
                        var state = Capture(epoch - 1);
                        at.WriteTo(state);
                        Checkpoint.Save(request.OutDir, state);
                        throw new CliError($"{why} during epoch {epoch} after batch {at.Batch} of {batches}: checkpoint saved in {request.OutDir}; {resume}", ExitCodes.Interrupted);
                    }
                    var m = fit.Epochs[0] with { Epoch = epoch };
                    history.Add(m);
                    bool stop = early.Update(epoch, m.ValidationLoss, model);
                    // A resumed epoch's seconds cover only the samples run in this process.
                    long samplesRun = train.Count - (epoch == startEpoch + 1 ? resumeAt.Seen : 0);
                    view.EpochEnded(epoch, Summary(m, samplesRun, epochs - epoch, clock.Elapsed.TotalSeconds / Math.Max(1, epoch - startEpoch)));
                    pictures?.OnEpoch(epoch, m.TestLoss, last: epoch == epochs || stop);
                    lastState = Capture(epoch);
                    lastSaved = false;
                    if (request.CheckpointEvery > 0 && (epoch % request.CheckpointEvery == 0 || epoch == epochs || stop))
                    {
                        Checkpoint.Save(request.OutDir, lastState);
                        lastSaved = true;
                    }
                    if (stop)
                    {
                        view.Note($"early stopping: no validation improvement for {s.EarlyStopping} epochs; best epoch {early.BestEpoch}");
                        break;
                    }
                }
                return 0;
            });

            int finalEpoch = history.Count == 0 ? 0 : history[^1].Epoch;
            if (early.RestoreBest(model)) finalEpoch = early.BestEpoch;
            var test = Evaluation.Evaluate(model, data.Test, loss, Evaluation.DefaultBatchSize, preset.BinaryThreshold);
            IReadOnlyDictionary<string, double> extras = preset.Report?.Invoke(model, data) ?? new Dictionary<string, double>();

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var outcome = new RunOutcome
            {
                Request = request, Preset = preset, Model = model, Data = data, Train = train, Validation = validation,
                Loss = loss, Optimizer = optimizer, Schedule = schedule, History = history, Test = test,
                Epochs = epochs, BatchSize = batchSize, Threads = threads, ResumedFromEpoch = startEpoch,
                StoppedEarly = early.Stopped, FinalWeightsEpoch = finalEpoch, PeakWorkingSetBytes = process.PeakWorkingSet64,
                Extras = extras, TotalSeconds = clock.Elapsed.TotalSeconds,
            };
            ModelFile.Save(outcome.ModelPath, model, new ModelMetadata
            {
                Dataset = preset.Dataset,
                Task = data.Train.ClassCount > 0 ? "classification" : "regression",
                ClassNames = data.Train.ClassNames.ToArray(),
                FeatureNames = data.FeatureNames,
                Target = data.TargetName,
                Standardizer = data.Standardizer,
                Extra =
                {
                    ["preset"] = preset.Name,
                    ["seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
                    ["loss"] = loss.GetType().Name,
                    ["binary_threshold"] = preset.BinaryThreshold.ToString("R", CultureInfo.InvariantCulture),
                    ["epochs"] = finalEpoch.ToString(CultureInfo.InvariantCulture),
                },
            });
            MetricsWriter.Write(outcome);
            var files = pictures?.Finish(outcome) ?? [];
            RunReport.Write(outcome, files);
            return outcome;
        }
    }

    /// <summary>The seed of epoch <paramref name="epoch"/>'s one-epoch fit (it fixes that epoch's shuffle).</summary>
    public static ulong EpochSeed(ulong seed, int epoch) => unchecked(seed * 0x9E3779B97F4A7C15UL + (ulong)epoch * 0xBF58476D1CE4E5B9UL);

    /// <summary>Reads the run settings saved in DIR's checkpoint (for --resume).</summary>
    public static RunSettings SettingsOf(string resumeDir)
    {
        var state = Checkpoint.Load(resumeDir);
        if (!state.Settings.TryGetValue(RunKey, out var json))
            throw new CliError($"{Checkpoint.PathOf(resumeDir)} was not written by 'scratchnet train' (it has no run settings)", ExitCodes.InputError);
        return RunSettings.FromJson(json);
    }

    private static Dataset Limit(Dataset data, int? limit, string option)
    {
        if (limit is not int n || n >= data.Count) return data;
        if (n < 1) throw new CliError($"{option} must be at least 1, got '{n}'");
        return new SubsetDataset($"{data.Name}[:{n}]", data, Enumerable.Range(0, n).ToArray());
    }

    private static (Dataset Train, Dataset? Validation) Split(Dataset train, double fraction, Rng splitRng)
    {
        if (fraction <= 0) return (train, null);
        int n = train.Count;
        int held = (int)Math.Round(n * fraction);
        if (held < 1 || held >= n)
            throw new CliError($"--validation-split {fraction.ToString(CultureInfo.InvariantCulture)} leaves {n - held} training and {held} validation samples of {n}: both need at least one");
        int[] perm = splitRng.Permutation(n);
        int[] trainIdx = perm[..(n - held)], valIdx = perm[(n - held)..];
        Array.Sort(trainIdx);
        Array.Sort(valIdx);
        return (new SubsetDataset(train.Name + "/train-split", train, trainIdx), new SubsetDataset(train.Name + "/validation-split", train, valIdx));
    }

    private static string Summary(EpochMetrics m, long samples, int epochsLeft, double secondsPerEpoch)
    {
        var ci = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(ci, $"loss {m.TrainLoss:F4}") };
        if (double.IsFinite(m.TrainAccuracy)) parts.Add(string.Create(ci, $"accuracy {m.TrainAccuracy:P2}"));
        if (double.IsFinite(m.ValidationLoss)) parts.Add(string.Create(ci, $"validation loss {m.ValidationLoss:F4}"));
        if (double.IsFinite(m.ValidationAccuracy)) parts.Add(string.Create(ci, $"validation accuracy {m.ValidationAccuracy:P2}"));
        if (double.IsFinite(m.TestLoss)) parts.Add(string.Create(ci, $"test loss {m.TestLoss:F4}"));
        if (double.IsFinite(m.TestAccuracy)) parts.Add(string.Create(ci, $"test accuracy {m.TestAccuracy:P2}"));
        parts.Add(string.Create(ci, $"{m.Seconds:F2} s ({(m.Seconds > 0 ? samples / m.Seconds : 0):N0} samples/s)"));
        if (epochsLeft > 0) parts.Add(string.Create(ci, $"about {TimeSpan.FromSeconds(Math.Round(epochsLeft * secondsPerEpoch)):g} left"));
        return string.Join(", ", parts);
    }

    private static string HistoryToJson(IReadOnlyList<EpochMetrics> history) =>
        JsonSerializer.Serialize(history.Select(m => new[]
        {
            m.Epoch, m.TrainLoss, m.TrainAccuracy, m.ValidationLoss, m.ValidationAccuracy, m.TestLoss, m.TestAccuracy,
            m.LearningRate, m.Seconds, m.CpuSeconds, m.EvaluationSeconds,
        }.Select(v => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "NaN").ToArray()));

    private static IEnumerable<EpochMetrics> HistoryFromJson(string json)
    {
        var rows = JsonSerializer.Deserialize<string[][]>(json) ?? [];
        foreach (var r in rows)
        {
            double V(int i) => double.Parse(r[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            yield return new EpochMetrics
            {
                Epoch = (int)V(0), TrainLoss = V(1), TrainAccuracy = V(2), ValidationLoss = V(3), ValidationAccuracy = V(4),
                TestLoss = V(5), TestAccuracy = V(6), LearningRate = (float)V(7), Seconds = V(8), CpuSeconds = V(9), EvaluationSeconds = V(10),
            };
        }
    }

    /// <summary>Early stopping on the validation loss, with the best epoch's weights kept (and saved in checkpoints).</summary>
    private sealed class EarlyStopTracker(int? patience)
    {
        private Dictionary<string, Tensor>? _best;
        private double _bestLoss = double.PositiveInfinity;
        private int _wait;

        public int BestEpoch { get; private set; }
        public bool Stopped { get; private set; }

        public bool Update(int epoch, double validationLoss, Sequential model)
        {
            if (patience is not int p || !double.IsFinite(validationLoss)) return false;
            if (validationLoss < _bestLoss)
            {
                _bestLoss = validationLoss;
                BestEpoch = epoch;
                _wait = 0;
                _best = ModelTensors.Collect(model).ToDictionary(x => x.Name, x => x.Value.Clone());
                return false;
            }
            Stopped = ++_wait >= p;
            return Stopped;
        }

        public bool RestoreBest(Sequential model)
        {
            if (_best is null || patience is null) return false;
            ModelTensors.Assign(model, _best, "best epoch");
            return true;
        }

        public void Save(CheckpointState state)
        {
            if (patience is null) return;
            state.Settings[EarlyKey] = string.Create(CultureInfo.InvariantCulture, $"{_bestLoss:R};{BestEpoch};{_wait}");
            if (_best is not null) foreach (var (k, v) in _best) state.ExtraTensors[BestPrefix + k] = v;
        }

        public void Restore(CheckpointState state)
        {
            if (patience is null || !state.Settings.TryGetValue(EarlyKey, out var text)) return;
            var parts = text.Split(';');
            _bestLoss = double.Parse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture);
            BestEpoch = int.Parse(parts[1], CultureInfo.InvariantCulture);
            _wait = int.Parse(parts[2], CultureInfo.InvariantCulture);
            var best = state.ExtraTensors.Where(e => e.Key.StartsWith(BestPrefix, StringComparison.Ordinal)).ToDictionary(e => e.Key[BestPrefix.Length..], e => e.Value);
            _best = best.Count > 0 ? best : null;
        }
    }
}
