namespace ScratchNet.Training;

/// <summary>Thrown when the training loss becomes NaN or infinite: the run cannot recover.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>A divergence at <paramref name="epoch"/> and <paramref name="batch"/> (both 1-based).</summary>
    public TrainingDivergedException(int epoch, int batch, int batches, float loss, float learningRate)
        : base($"Training diverged: the loss became {Describe(loss)} at epoch {epoch}, batch {batch} of {batches} " +
               $"(learning rate {learningRate.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}). Try a smaller learning rate.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (1-based) where it happened.</summary>
    public int Epoch { get; }

    /// <summary>The batch (1-based) within the epoch.</summary>
    public int Batch { get; }

    /// <summary>The non-finite loss value.</summary>
    public float Loss { get; }

    private static string Describe(float loss) => float.IsNaN(loss) ? "NaN" : (loss > 0 ? "+infinity" : "-infinity");
}
