namespace ScratchNet.Training;

/// <summary>
/// Thrown by <see cref="Trainer.Fit"/> when training is stopped between two batches (the cancellation
/// token was signalled, or the observer threw <see cref="OperationCanceledException"/>). It says where:
/// the epoch and its <see cref="Position"/>, which a later run passes as
/// <see cref="TrainerOptions.StartPosition"/> to finish that epoch with the same bits. Every batch
/// counted in <see cref="Position"/> is complete: its optimizer step and schedule step are done.
/// </summary>
public sealed class TrainingInterruptedException : OperationCanceledException
{
    /// <summary>An interruption of <paramref name="epoch"/> (1-based) at <paramref name="position"/>, of <paramref name="batches"/> batches.</summary>
    public TrainingInterruptedException(int epoch, int batches, EpochPosition position, Exception? innerException = null)
        : base($"Training interrupted during epoch {epoch} after batch {position.Batch} of {batches}.", innerException)
    {
        Epoch = epoch;
        Batches = batches;
        Position = position;
    }

    /// <summary>The epoch (1-based) that was interrupted; epochs before it are complete.</summary>
    public int Epoch { get; }

    /// <summary>Batches per epoch.</summary>
    public int Batches { get; }

    /// <summary>Batches of <see cref="Epoch"/> done and the running sums of its metrics.</summary>
    public EpochPosition Position { get; }
}
