using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScratchNet.Serialization;

namespace ScratchNet.Training;

public sealed partial class Trainer
{
    private const string SeedKey = "seed", EpochsKey = "epochs", BatchSizeKey = "batch_size", LossKey = "loss", HistoryKey = "history";

    private static readonly JsonSerializerOptions HistoryJson = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(), // for GetTypeInfo before any serialisation
    };

    /// <summary>
    /// Saves everything needed to continue after <paramref name="epoch"/> complete epochs and
    /// <paramref name="position"/> in the next: weights, optimizer state, the shuffle generator (its
    /// state before the next epoch's shuffle) and dropout generators, the schedule, the metrics so far,
    /// the early-stopping state, the running sums of the unfinished epoch, and what the options say
    /// about the model (so the checkpoint also serves as a model file).
    /// </summary>
    /// <exception cref="TrainingDivergedException">A weight or an optimizer state value is NaN or infinite: such a state is never saved as if it were good.</exception>
    private void SaveCheckpoint(string dir, int epoch, Rng shuffleRng, TrainingHistory history, EarlyStopState? stopper, EpochPosition position = default)
    {
        var o = Options;
        // At an epoch's end the weights were checked already; a stop inside an epoch saves the weights
        // of its last step, which no loss has seen yet. The optimizer's state is checked here only.
        string where = position.IsStart ? $"after the last step of epoch {epoch}" : $"after batch {position.Batch} of epoch {epoch + 1}";
        int inEpoch = position.IsStart ? epoch : epoch + 1;
        RequireFiniteModel(inEpoch, where, LastStepRate());
        if (FiniteCheck.InOptimizer(o.Optimizer) is var (name, value))
            throw new TrainingDivergedException(inEpoch, $"the optimizer's state '{name}'", value, where, LastStepRate());

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
    /// size and loss; returns the epochs already done and the position in the next. Every number in it
    /// is checked against what this run can reach before any is used: the position against the epochs
    /// and batches of this run, the step counts against the position, the schedule's state against
    /// both, the history against the epochs done, the tensors for shape and finiteness.
    /// </summary>
    /// <exception cref="ModelFileException">The checkpoint is malformed, out of range, or belongs to another run; the message names the field.</exception>
    private (int Epochs, EpochPosition Position) RestoreCheckpoint(string dir, Rng shuffleRng, TrainingHistory history, EarlyStopState? stopper,
        int batches, int batchSize, int samples, bool classify)
    {
        var state = Checkpoint.Load(dir);
        string source = Checkpoint.PathOf(dir);
        ModelFileException Bad(string problem) => new(source, problem);

        Require(SeedKey, Options.Seed.ToString(CultureInfo.InvariantCulture), "seed");
        Require(BatchSizeKey, Text(Options.BatchSize), "batch size");
        Require(LossKey, Options.Loss.Name, "loss");

        int done = state.Epoch;
        if (done > Options.Epochs) throw Bad($"the checkpoint has {done} epochs done; this run has {Options.Epochs}");
        var position = EpochPosition.ReadFrom(state, source);
        if (!position.IsStart && done + 1 > Options.Epochs)
            throw Bad($"the checkpoint stops inside epoch {done + 1}, but the run has {Options.Epochs} epochs");
        if (position.Batch > batches)
            throw Bad($"the checkpoint stops after batch {position.Batch} of epoch {done + 1}, but an epoch has {batches} batches");
        if (!position.IsStart)
        {
            long seen = Math.Min((long)position.Batch * batchSize, samples);
            if (position.Seen != seen)
                throw Bad($"'settings.epoch_seen' is {position.Seen}, but {position.Batch} batches of {batchSize} of {samples} samples are {seen} rows");
            if (!classify && position.Correct != 0) throw Bad($"'settings.epoch_correct' is {position.Correct} in a regression");
            if (position.LossSum < 0) throw Bad($"'settings.epoch_loss_sum' is negative ({position.LossSum.ToString("R", CultureInfo.InvariantCulture)})");
        }
        long steps = (long)done * batches + position.Batch;
        if (state.GlobalStep != steps)
            throw Bad($"'checkpoint.global_step' is {state.GlobalStep}, but {done} epochs of {batches} batches and {position.Batch} more are {steps} steps");
        if (state.OptimizerStepCount != steps)
            throw Bad($"'checkpoint.optimizer_step_count' is {state.OptimizerStepCount}, but the checkpoint is {steps} steps into the run");

        // The weights are restored by name and shape into the model this run built; an architecture that
        // says otherwise would make the checkpoint, used as a model file, describe a different network.
        if (state.Model is { } saved && saved.ArchitectureJson() is var claimed && claimed != saved.WithArchitectureOf(Model).ArchitectureJson())
            throw Bad($"'model.architecture' {TextExcerpt.Of(claimed, 120)} is not the architecture of this run's model");
        state.RestoreModel(Model, source);
        if (FiniteCheck.InModel(Model) is var (tensor, value))
            throw Bad($"tensor 'model.{tensor}' holds {value.ToString(CultureInfo.InvariantCulture)}; a checkpoint holds finite weights only");
        state.RestoreOptimizer(Options.Optimizer, Model.Parameters, source);
        state.RestoreRng("shuffle", shuffleRng, source);

        if (state.Schedule.Count == 0) throw Bad("the checkpoint has no schedule state ('schedule.*'): the learning rate could not continue where it was");
        // η₀ is the run's (its recipe or options), as when the checkpoint was written; another value is not this run's state.
        if (state.Schedule.TryGetValue("base_rate", out double baseRate) && (float)baseRate != Schedule.BaseRate)
            throw Bad($"'schedule.base_rate' {baseRate.ToString("R", CultureInfo.InvariantCulture)} is not this run's base learning rate {Schedule.BaseRate.ToString("R", CultureInfo.InvariantCulture)}");
        try { Schedule.SetState(state.Schedule); }
        catch (FormatException e) { throw new ModelFileException(source, "'schedule.*': " + e.Message.TrimEnd('.'), e); }
        if (Schedule.Epoch != done || Schedule.Step != steps)
            throw Bad($"'schedule.epoch' {Schedule.Epoch} and 'schedule.step' {Schedule.Step} do not match the checkpoint's {done} epochs and {steps} steps");

        foreach (var m in ReadHistory(state, source, done)) history.Add(m);
        stopper?.Load(state, source, done);
        history.StoppedEarly = false;
        return (done, position);

        void Require(string key, string expected, string what)
        {
            if (!state.Settings.TryGetValue(key, out var saved))
                throw Bad($"the checkpoint has no 'settings.{key}' (the {what} it was written with)");
            if (saved != expected)
                throw Bad($"'settings.{key}' says the checkpoint was written with {what} {TextExcerpt.Of(saved)}; this run uses {what} {expected}");
        }
    }

    /// <summary>
    /// The per-epoch metrics saved in 'settings.history': one complete entry for each of the
    /// <paramref name="epochs"/> epochs done, numbered from 1, with finite times and rates, finite (or
    /// absent: NaN) losses and accuracies in [0, 1].
    /// </summary>
    private static List<EpochMetrics> ReadHistory(CheckpointState state, string source, int epochs)
    {
        const string field = $"'settings.{HistoryKey}'";
        if (!state.Settings.TryGetValue(HistoryKey, out var json)) throw new ModelFileException(source, $"the checkpoint has no {field}");
        var required = HistoryJson.GetTypeInfo(typeof(EpochMetrics)).Properties.Select(p => p.Name).ToArray();
        var list = new List<EpochMetrics>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw Bad("is not a list of epoch metrics");
            if (doc.RootElement.GetArrayLength() != epochs)
                throw Bad($"has {doc.RootElement.GetArrayLength()} epochs, but the checkpoint has {epochs} epochs done");
            foreach (var row in doc.RootElement.EnumerateArray())
            {
                int n = list.Count + 1;
                if (row.ValueKind != JsonValueKind.Object) throw Bad($"entry {n} is not an object of epoch metrics");
                if (required.FirstOrDefault(name => !row.TryGetProperty(name, out _)) is { } missing) throw Bad($"entry {n} has no '{missing}'");
                var m = row.Deserialize<EpochMetrics>(HistoryJson)!;
                if (m.Epoch != n) throw Bad($"entry {n} is numbered epoch {m.Epoch}");
                if (!(m.TrainLoss is var t && double.IsFinite(t))) throw Bad($"entry {n} has a train loss of {Number(m.TrainLoss)}");
                foreach (var (name, v) in new[] { ("validation loss", m.ValidationLoss), ("test loss", m.TestLoss) })
                    if (double.IsInfinity(v)) throw Bad($"entry {n} has a {name} of {Number(v)}");
                foreach (var (name, v) in new[] { ("train accuracy", m.TrainAccuracy), ("validation accuracy", m.ValidationAccuracy), ("test accuracy", m.TestAccuracy) })
                    if (!double.IsNaN(v) && !(v >= 0 && v <= 1)) throw Bad($"entry {n} has a {name} of {Number(v)}");
                foreach (var (name, v) in new[] { ("learning rate", (double)m.LearningRate), ("time", m.Seconds), ("evaluation time", m.EvaluationSeconds) })
                    if (!(v >= 0 && double.IsFinite(v))) throw Bad($"entry {n} has a {name} of {Number(v)}");
                // NaN: not measured (a platform without process statistics).
                if (!double.IsNaN(m.CpuSeconds) && !(m.CpuSeconds >= 0 && double.IsFinite(m.CpuSeconds))) throw Bad($"entry {n} has a CPU time of {Number(m.CpuSeconds)}");
                list.Add(m);
            }
        }
        catch (JsonException e)
        {
            throw new ModelFileException(source, $"{field} is not a list of epoch metrics ({TextExcerpt.Of(e.Message.Split('\n')[0].TrimEnd('.'), 160)})", e);
        }
        return list;

        ModelFileException Bad(string problem) => new(source, $"{field} {problem}");
        static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
