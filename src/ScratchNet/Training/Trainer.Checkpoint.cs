using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScratchNet.Serialization;

namespace ScratchNet.Training;

public sealed partial class Trainer
{
    private const string SeedKey = "seed", EpochsKey = "epochs", BatchSizeKey = "batch_size", LossKey = "loss", HistoryKey = "history";

    private static readonly JsonSerializerOptions HistoryJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// Saves everything needed to continue after <paramref name="epoch"/> complete epochs and
    /// <paramref name="position"/> in the next: weights, optimizer state, the shuffle generator (its
    /// state before the next epoch's shuffle) and dropout generators, the schedule, the metrics so far,
    /// the early-stopping state, the running sums of the unfinished epoch, and what the options say
    /// about the model (so the checkpoint also serves as a model file).
    /// </summary>
    private void SaveCheckpoint(string dir, int epoch, Rng shuffleRng, TrainingHistory history, EarlyStopState? stopper, EpochPosition position = default)
    {
        var o = Options;
        var state = CheckpointState.Capture(Model, o.Optimizer, new Dictionary<string, Rng> { ["shuffle"] = shuffleRng }, epoch,
            globalStep: o.Optimizer.StepCount, metadata: o.CheckpointMetadata);
        position.WriteTo(state);
        state.Schedule = new Dictionary<string, double>(Schedule.GetState());
        if (o.CheckpointSettings is not null)
            foreach (var (k, v) in o.CheckpointSettings) state.Settings[k] = v;
        state.Settings[EpochsKey] = Text(o.Epochs);
        state.Settings[BatchSizeKey] = Text(o.BatchSize);
        state.Settings[SeedKey] = o.Seed.ToString(CultureInfo.InvariantCulture);
        state.Settings[LossKey] = o.Loss.Name;
        state.Settings[HistoryKey] = JsonSerializer.Serialize(history.Epochs, HistoryJson);
        stopper?.Save(state);
        Checkpoint.Save(dir, state);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> for a run with the same seed, batch
    /// size and loss; returns the epochs already done and the position in the next.
    /// </summary>
    /// <exception cref="ModelFileException">The checkpoint is malformed or belongs to another run.</exception>
    private (int Epochs, EpochPosition Position) RestoreCheckpoint(string dir, Rng shuffleRng, TrainingHistory history, EarlyStopState? stopper, int batches)
    {
        var state = Checkpoint.Load(dir);
        string source = Checkpoint.PathOf(dir);
        Require(SeedKey, Options.Seed.ToString(CultureInfo.InvariantCulture), "seed");
        Require(BatchSizeKey, Text(Options.BatchSize), "batch size");
        Require(LossKey, Options.Loss.Name, "loss");
        state.RestoreModel(Model, source);
        state.RestoreOptimizer(Options.Optimizer, source);
        state.RestoreRng("shuffle", shuffleRng, source);
        if (state.Schedule.Count > 0)
        {
            try { Schedule.SetState(state.Schedule); }
            catch (FormatException e) { throw new ModelFileException(source, e.Message.TrimEnd('.'), e); }
        }
        if (state.Settings.TryGetValue(HistoryKey, out var json))
        {
            EpochMetrics[]? epochs;
            try { epochs = JsonSerializer.Deserialize<EpochMetrics[]>(json, HistoryJson); }
            catch (JsonException e) { throw new ModelFileException(source, $"'settings.{HistoryKey}' is not a list of epoch metrics ({e.Message.Split('\n')[0].TrimEnd('.')})", e); }
            foreach (var m in epochs ?? []) history.Add(m);
        }
        stopper?.Load(state, source);
        history.StoppedEarly = false;
        var position = EpochPosition.ReadFrom(state, source);
        if (!position.IsStart && state.Epoch + 1 > Options.Epochs)
            throw new ModelFileException(source, $"the checkpoint stops inside epoch {state.Epoch + 1}, but the run has {Options.Epochs} epochs");
        if (position.Batch > batches)
            throw new ModelFileException(source, $"the checkpoint stops after batch {position.Batch} of epoch {state.Epoch + 1}, but an epoch has {batches} batches");
        return (state.Epoch, position);

        void Require(string key, string expected, string what)
        {
            if (state.Settings.TryGetValue(key, out var saved) && saved != expected)
                throw new ModelFileException(source, $"the checkpoint was written with {what} {saved}; this run uses {what} {expected}");
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
