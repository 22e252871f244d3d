namespace ScratchNet.Training;

/// <summary>Passes every training event to several observers, in the order given.</summary>
/// <param name="observers">The observers (nulls are skipped).</param>
public sealed class CompositeTrainingObserver(params ITrainingObserver?[] observers) : ITrainingObserver
{
    private readonly ITrainingObserver[] _observers = observers.OfType<ITrainingObserver>().ToArray();

    /// <inheritdoc/>
    public void OnTrainingStart(int epochs, int batchesPerEpoch)
    {
        foreach (var o in _observers) o.OnTrainingStart(epochs, batchesPerEpoch);
    }

    /// <inheritdoc/>
    public void OnEpochStart(int epoch, int batches)
    {
        foreach (var o in _observers) o.OnEpochStart(epoch, batches);
    }

    /// <inheritdoc/>
    public void OnBatchEnd(in BatchProgress progress)
    {
        foreach (var o in _observers) o.OnBatchEnd(progress);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochMetrics metrics)
    {
        foreach (var o in _observers) o.OnEpochEnd(metrics);
    }

    /// <inheritdoc/>
    public void OnTrainingEnd(TrainingHistory history)
    {
        foreach (var o in _observers) o.OnTrainingEnd(history);
    }
}
