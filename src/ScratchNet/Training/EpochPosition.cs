using System.Globalization;
using ScratchNet.Serialization;

namespace ScratchNet.Training;

/// <summary>
/// How far an epoch got: the batches done and the running sums behind its training metrics. An epoch
/// interrupted after batch <see cref="Batch"/> can be finished later (<see cref="TrainerOptions.StartPosition"/>)
/// with the same bits, and with the same epoch metrics: train loss = <see cref="LossSum"/> / <see cref="Seen"/>,
/// train accuracy = <see cref="Correct"/> / <see cref="Decisions"/>.
/// </summary>
/// <param name="Batch">Batches of the epoch already done (0: the epoch has not started).</param>
/// <param name="LossSum">Σ over those batches of (batch loss × rows in the batch), in double.</param>
/// <param name="Correct">Class decisions that were right so far (0 for regression).</param>
/// <param name="Seen">Training rows seen so far.</param>
/// <param name="Decided">Class decisions made so far when they are not one per row (the counted positions of sequences); 0: one per row, <see cref="Seen"/>.</param>
public readonly record struct EpochPosition(int Batch, double LossSum, long Correct, long Seen, long Decided = 0)
{
    private const string LossSumKey = "epoch_loss_sum", CorrectKey = "epoch_correct", SeenKey = "epoch_seen", DecidedKey = "epoch_decided";

    /// <summary>Class decisions made so far: <see cref="Decided"/>, or one per row seen.</summary>
    public long Decisions => Decided > 0 ? Decided : Seen;

    /// <summary>Whether this is the start of an epoch (no batch done yet).</summary>
    public bool IsStart => Batch == 0;

    /// <summary>
    /// Stores the position in <paramref name="state"/>: <see cref="CheckpointState.BatchInEpoch"/> and the
    /// sums as settings ("epoch_loss_sum" in round-trip text, so the double comes back bit for bit).
    /// </summary>
    public void WriteTo(CheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.BatchInEpoch = Batch;
        if (IsStart)
        {
            state.Settings.Remove(LossSumKey);
            state.Settings.Remove(CorrectKey);
            state.Settings.Remove(SeenKey);
            state.Settings.Remove(DecidedKey);
            return;
        }
        state.Settings[LossSumKey] = LossSum.ToString("R", CultureInfo.InvariantCulture);
        state.Settings[CorrectKey] = Correct.ToString(CultureInfo.InvariantCulture);
        state.Settings[SeenKey] = Seen.ToString(CultureInfo.InvariantCulture);
        if (Decided > 0) state.Settings[DecidedKey] = Decided.ToString(CultureInfo.InvariantCulture);
        else state.Settings.Remove(DecidedKey);
    }

    /// <summary>The position stored by <see cref="WriteTo"/> (the start of an epoch when BatchInEpoch is 0).</summary>
    /// <exception cref="ModelFileException">The checkpoint is inside an epoch but lacks the running sums, or they are out of range.</exception>
    public static EpochPosition ReadFrom(CheckpointState state, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.BatchInEpoch == 0) return default;
        if (state.BatchInEpoch > int.MaxValue)
            throw new ModelFileException(source, $"'checkpoint.batch_in_epoch' {state.BatchInEpoch} is out of range");
        string Value(string key) => state.Settings.TryGetValue(key, out var v) ? v
            : throw new ModelFileException(source, $"the checkpoint stops after batch {state.BatchInEpoch} of epoch {state.Epoch + 1} but has no 'settings.{key}' to finish that epoch's metrics");
        double lossSum = double.TryParse(Value(LossSumKey), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
            : throw new ModelFileException(source, $"'settings.{LossSumKey}' is not a finite number: '{TextExcerpt.Of(Value(LossSumKey))}'");
        long correct = Count(CorrectKey), seen = Count(SeenKey);
        if (seen == 0) throw new ModelFileException(source, $"the checkpoint stops after batch {state.BatchInEpoch}, but 'settings.{SeenKey}' counts no rows");
        long decided = state.Settings.ContainsKey(DecidedKey) ? Count(DecidedKey) : 0;
        long decisions = decided > 0 ? decided : seen;
        if (correct > decisions)
            throw new ModelFileException(source, decided > 0
                ? $"'settings.{CorrectKey}' {correct} is more than the {decided} positions decided ('settings.{DecidedKey}')"
                : $"'settings.{CorrectKey}' {correct} is more than the {seen} rows seen ('settings.{SeenKey}')");
        return new EpochPosition((int)state.BatchInEpoch, lossSum, correct, seen, decided);

        long Count(string key) => long.TryParse(Value(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long x) && x >= 0 ? x
            : throw new ModelFileException(source, $"'settings.{key}' is not a non-negative integer: '{TextExcerpt.Of(Value(key))}'");
    }
}
