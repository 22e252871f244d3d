using System.Diagnostics;
using System.Globalization;
using ScratchNet.Cli.Progress;

namespace ScratchNet.Cli.Training;

/// <summary>
/// Forwards a training job's batches and epochs to an <see cref="IProgressView"/> (loss, accuracy,
/// samples per second, time left) and stops the epoch at the next batch when a shutdown is requested.
/// </summary>
internal sealed class ProgressObserver(IProgressView view, TrainingJob job, CancellationToken cancel, int? stopAfterBatches) : ITrainingObserver
{
    private readonly Stopwatch _clock = new(), _run = Stopwatch.StartNew();
    private long _batchesLeft = stopAfterBatches ?? long.MaxValue;
    private int _skipped = -1; // batches of this epoch done before this process (a resumed epoch), for samples/s
    private int _epochsRun;

    /// <summary>Set when the stop came from --stop-after-batches rather than a signal.</summary>
    public bool SimulatedStop { get; private set; }

    public void OnEpochStart(int epoch, int batches)
    {
        _clock.Restart();
        _skipped = -1;
        view.EpochStarted(epoch, batches);
    }

    public void OnBatchEnd(in BatchProgress p)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        if (_skipped < 0) _skipped = p.Batch - 1;
        view.BatchEnded(p.Epoch, p.Batch, p.RunningLoss, p.RunningAccuracy, seconds > 0 ? SamplesRun(p.Batch) / seconds : 0);
        if (--_batchesLeft <= 0) SimulatedStop = true;
        if (SimulatedStop || cancel.IsCancellationRequested) throw new OperationCanceledException("training interrupted");
    }

    public void OnEpochEnd(EpochMetrics m)
    {
        _epochsRun++;
        long samples = SamplesRun(job.BatchesPerEpoch);
        int left = job.Recipe.Epochs - m.Epoch;
        var ci = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(ci, $"loss {m.TrainLoss:F4}") };
        if (double.IsFinite(m.TrainAccuracy)) parts.Add(string.Create(ci, $"accuracy {m.TrainAccuracy:P2}"));
        if (double.IsFinite(m.ValidationLoss)) parts.Add(string.Create(ci, $"validation loss {m.ValidationLoss:F4}"));
        if (double.IsFinite(m.ValidationAccuracy)) parts.Add(string.Create(ci, $"validation accuracy {m.ValidationAccuracy:P2}"));
        if (double.IsFinite(m.TestLoss)) parts.Add(string.Create(ci, $"test loss {m.TestLoss:F4}"));
        if (double.IsFinite(m.TestAccuracy)) parts.Add(string.Create(ci, $"test accuracy {m.TestAccuracy:P2}"));
        parts.Add(string.Create(ci, $"{m.Seconds:F2} s ({(m.Seconds > 0 ? samples / m.Seconds : 0):N0} samples/s)"));
        if (left > 0) parts.Add(string.Create(ci, $"about {TimeSpan.FromSeconds(Math.Round(left * _run.Elapsed.TotalSeconds / _epochsRun)):g} left"));
        view.EpochEnded(m.Epoch, string.Join(", ", parts));
    }

    /// <summary>Samples of the current epoch run in this process up to batch <paramref name="batch"/> (a resumed epoch skips the batches done before).</summary>
    private long SamplesRun(int batch)
    {
        // An epoch counted in steps draws steps × batch samples; otherwise it passes over the training set.
        long total = job.Recipe.StepsPerEpoch is int steps ? (long)steps * job.BatchSize : job.TrainingSet.Count;
        return Math.Min((long)batch * job.BatchSize, total) - Math.Max(0, (long)_skipped) * job.BatchSize;
    }
}
