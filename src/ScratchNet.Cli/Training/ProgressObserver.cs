using System.Diagnostics;
using ScratchNet.Cli.Progress;
using ScratchNet.Training;

namespace ScratchNet.Cli.Training;

/// <summary>
/// Forwards a <see cref="Trainer"/>'s batches to an <see cref="IProgressView"/> (loss, accuracy,
/// samples per second) and stops the epoch at the next batch when a shutdown is requested.
/// </summary>
internal sealed class ProgressObserver(IProgressView view, int batchSize, int samples, CancellationToken cancel, int? stopAfterBatches) : ITrainingObserver
{
    private readonly Stopwatch _clock = new();
    private long _batchesLeft = stopAfterBatches ?? long.MaxValue;
    private int _skipped = -1; // batches of this epoch done before this process (a resumed epoch), for samples/s

    /// <summary>The run's epoch number (the trainer counts each one-epoch fit as epoch 1).</summary>
    public int Epoch { get; set; }

    /// <summary>Set when the stop came from --stop-after-batches rather than a signal.</summary>
    public bool SimulatedStop { get; private set; }

    public void OnEpochStart(int epoch, int batches)
    {
        _clock.Restart();
        _skipped = -1;
        view.EpochStarted(Epoch, batches);
    }

    public void OnBatchEnd(in BatchProgress p)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        if (_skipped < 0) _skipped = p.Batch - 1;
        long done = Math.Min((long)p.Batch * batchSize, samples) - (long)_skipped * batchSize;
        view.BatchEnded(Epoch, p.Batch, p.RunningLoss, p.RunningAccuracy, seconds > 0 ? done / seconds : 0);
        if (--_batchesLeft <= 0) SimulatedStop = true;
        if (SimulatedStop || cancel.IsCancellationRequested) throw new OperationCanceledException("training interrupted");
    }
}
