using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>
/// Stops a training run mid-epoch as Ctrl+C would: throws <see cref="OperationCanceledException"/>
/// after batch <paramref name="batch"/> of epoch <paramref name="epoch"/>, which the trainer turns into
/// a checkpoint at that batch.
/// </summary>
internal sealed class StopAt(int epoch, int batch) : ITrainingObserver
{
    public void OnBatchEnd(in BatchProgress p)
    {
        if (p.Epoch == epoch && p.Batch == batch) throw new OperationCanceledException("stop");
    }
}
