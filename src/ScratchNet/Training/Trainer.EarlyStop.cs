using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

public sealed partial class Trainer
{
    /// <summary>Tracks the best validation loss and keeps a copy of that epoch's parameters and buffers.</summary>
    private sealed class EarlyStopState(Sequential model)
    {
        private readonly Tensor[] _live = model.Parameters.Select(p => p.Value)
            .Concat(model.Layers.SelectMany(l => l.Buffers.Select(b => b.Value))).ToArray();
        private Tensor[]? _best;
        private double _bestLoss = double.PositiveInfinity;
        private int _wait;

        public int BestEpoch { get; private set; }

        public bool ShouldStop(EarlyStopping settings, int epoch, double validationLoss)
        {
            if (validationLoss < _bestLoss - settings.MinDelta)
            {
                _bestLoss = validationLoss;
                BestEpoch = epoch;
                _wait = 0;
                if (settings.RestoreBestWeights)
                {
                    _best ??= _live.Select(t => new Tensor(t.ShapeArray())).ToArray();
                    for (int i = 0; i < _live.Length; i++) _live[i].Span.CopyTo(_best[i].Span);
                }
                return false;
            }
            return ++_wait >= settings.Patience;
        }

        public void Restore()
        {
            if (_best is null) return;
            for (int i = 0; i < _live.Length; i++) _best[i].Span.CopyTo(_live[i].Span);
        }
    }
}
