using System.Globalization;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// Tracks the best validation loss and keeps a copy of that epoch's parameters and buffers; all of
    /// it goes into checkpoints, so a resumed run stops where an uninterrupted one would.
    /// </summary>
    private sealed class EarlyStopState(Model model, EarlyStopping settings)
    {
        private const string StateKey = "early_stopping", BestPrefix = "best.";
        private Dictionary<string, Tensor>? _best;
        private double _bestLoss = double.PositiveInfinity;
        private int _wait;

        public int BestEpoch { get; private set; }

        /// <summary>Records epoch <paramref name="epoch"/>'s validation loss; true when training should stop.</summary>
        public bool ShouldStop(int epoch, double validationLoss)
        {
            if (validationLoss < _bestLoss - settings.MinDelta)
            {
                _bestLoss = validationLoss;
                BestEpoch = epoch;
                _wait = 0;
                if (settings.RestoreBestWeights)
                {
                    var live = ModelTensors.Collect(model);
                    _best ??= live.ToDictionary(t => t.Name, t => new Tensor(t.Value.ShapeArray()), StringComparer.Ordinal);
                    foreach (var (name, value) in live) value.Span.CopyTo(_best[name].Span);
                }
                return false;
            }
            return ++_wait >= settings.Patience;
        }

        /// <summary>Puts the best epoch's parameters and buffers back into the model.</summary>
        public void Restore()
        {
            if (_best is null) return;
            foreach (var (name, value) in ModelTensors.Collect(model)) _best[name].Span.CopyTo(value.Span);
        }

        public void Save(CheckpointState state)
        {
            state.Settings[StateKey] = string.Create(CultureInfo.InvariantCulture, $"{_bestLoss:R};{BestEpoch};{_wait}");
            if (_best is not null) foreach (var (name, value) in _best) state.ExtraTensors[BestPrefix + name] = value.Clone();
        }

        /// <summary>Restores the state saved after <paramref name="epochsDone"/> epochs, each value checked against them.</summary>
        public void Load(CheckpointState state, string source, int epochsDone)
        {
            if (!state.Settings.TryGetValue(StateKey, out var text))
                throw new ModelFileException(source, $"the run stops early, but the checkpoint has no 'settings.{StateKey}'");
            var parts = text.Split(';');
            // The best loss is +infinity before the first epoch, and never NaN; the best epoch and the
            // epochs waited since count epochs done.
            if (parts.Length != 3
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double bestLoss)
                || double.IsNaN(bestLoss) || double.IsNegativeInfinity(bestLoss)
                || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int bestEpoch) || bestEpoch < 0 || bestEpoch > epochsDone
                || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int wait) || wait < 0 || wait > epochsDone
                || (bestEpoch == 0) != double.IsPositiveInfinity(bestLoss))
                throw new ModelFileException(source,
                    $"'settings.{StateKey}' is not 'best loss;best epoch;epochs waited' within the {epochsDone} epochs done: '{TextExcerpt.Of(text)}'");
            _bestLoss = bestLoss;
            BestEpoch = bestEpoch;
            _wait = wait;
            var best = state.ExtraTensors.Where(e => e.Key.StartsWith(BestPrefix, StringComparison.Ordinal))
                .ToDictionary(e => e.Key[BestPrefix.Length..], e => e.Value, StringComparer.Ordinal);
            if (best.Count == 0) { _best = null; return; }
            var expected = ModelTensors.Collect(model);
            foreach (var (name, value) in expected)
                if (!best.TryGetValue(name, out var t) || !t.SameShape(value))
                    throw new ModelFileException(source, $"the best epoch's copy of '{name}' is missing or has another shape");
            if (best.Count != expected.Count)
                throw new ModelFileException(source, "the best epoch's copy has tensors the model does not have");
            foreach (var (name, value) in best)
                if (FiniteCheck.IndexOfNonFinite(value.Span) is int i and >= 0)
                    throw new ModelFileException(source, $"tensor 'extra.{BestPrefix}{name}' holds {value.Span[i].ToString(CultureInfo.InvariantCulture)}; a checkpoint holds finite weights only");
            _best = best;
        }
    }
}
