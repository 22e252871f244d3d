namespace ScratchNet.Training;

/// <summary>
/// Receives progress from a <see cref="Trainer"/> (a CLI draws progress bars from it). Every method has
/// an empty default, so an observer implements only what it needs. Calls come from the training thread.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>Before the first epoch: epochs planned and batches per epoch.</summary>
    void OnTrainingStart(int epochs, int batchesPerEpoch) { }

    /// <summary>At the start of epoch <paramref name="epoch"/> (1-based).</summary>
    void OnEpochStart(int epoch, int batches) { }

    /// <summary>After each training batch.</summary>
    void OnBatchEnd(in BatchProgress progress) { }

    /// <summary>After each epoch, with its evaluation.</summary>
    void OnEpochEnd(EpochMetrics metrics) { }

    /// <summary>After the last epoch (or early stop).</summary>
    void OnTrainingEnd(TrainingHistory history) { }
}
