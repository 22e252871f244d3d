using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScratchNet.Serialization;

namespace ScratchNet.Training;

public sealed partial class Trainer
{
    private static readonly JsonSerializerOptions HistoryJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// Saves everything needed to continue after <paramref name="epoch"/> complete epochs and
    /// <paramref name="position"/> in the next: weights, optimizer state, the shuffle generator (its
    /// state before the next epoch's shuffle) and dropout generators, the schedule, the metrics so far
    /// and the running sums of the unfinished epoch.
    /// </summary>
    private void SaveCheckpoint(string dir, int epoch, Rng shuffleRng, TrainingHistory history, EpochPosition position = default)
    {
        var o = Options;
        var state = CheckpointState.Capture(Model, o.Optimizer, new Dictionary<string, Rng> { ["shuffle"] = shuffleRng }, epoch,
            globalStep: o.Optimizer.StepCount);
        position.WriteTo(state);
        if (o.Schedule is not null) state.Schedule = new Dictionary<string, double>(o.Schedule.GetState());
        state.Settings["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture);
        state.Settings["batch_size"] = o.BatchSize.ToString(CultureInfo.InvariantCulture);
        state.Settings["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture);
        state.Settings["loss"] = o.Loss.Name;
        state.Settings["history"] = JsonSerializer.Serialize(history.Epochs, HistoryJson);
        Checkpoint.Save(dir, state);
    }

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/>; returns the epochs already done and the position in the next.</summary>
    private (int Epochs, EpochPosition Position) RestoreCheckpoint(string dir, Rng shuffleRng, TrainingHistory history)
    {
        var state = Checkpoint.Load(dir);
        string seed = Options.Seed.ToString(CultureInfo.InvariantCulture);
        if (state.Settings.TryGetValue("seed", out var saved) && saved != seed)
            throw new ArgumentException($"The checkpoint in '{dir}' was written with seed {saved}, this run uses seed {seed}.");
        state.RestoreModel(Model, dir);
        state.RestoreOptimizer(Options.Optimizer, dir);
        state.RestoreRng("shuffle", shuffleRng, dir);
        if (Options.Schedule is not null && state.Schedule.Count > 0) Options.Schedule.SetState(state.Schedule);
        if (state.Settings.TryGetValue("history", out var json))
            foreach (var m in JsonSerializer.Deserialize<EpochMetrics[]>(json, HistoryJson) ?? []) history.Add(m);
        return (state.Epoch, EpochPosition.ReadFrom(state, Checkpoint.PathOf(dir)));
    }
}
