using System.Globalization;

namespace ScratchNet.Training;

/// <summary>
/// Thrown when training diverges: a loss, a weight or a buffer became NaN or infinite. The run cannot
/// recover, and nothing of it is written as a model; the message says where it happened (epoch,
/// batch or "after the last step of epoch N") and at which learning rate.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>The training loss became non-finite at <paramref name="epoch"/> and <paramref name="batch"/> (both 1-based) of <paramref name="batches"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, int batches, float loss, float learningRate)
        : base($"Training diverged: the loss became {Describe(loss)} at epoch {epoch}, batch {batch} of {batches} " +
               $"(learning rate {Rate(learningRate)}). Try a smaller learning rate.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>
    /// Something other than a step's training loss became non-finite: <paramref name="what"/> ("the test
    /// loss", "the model's tensor 'layers.0.weight'") became <paramref name="value"/>, <paramref name="where"/>
    /// ("after the last step of epoch 3") in epoch <paramref name="epoch"/>.
    /// </summary>
    public TrainingDivergedException(int epoch, string what, double value, string where, float learningRate)
        : base($"Training diverged: {what} became {Describe(value)} {where} (learning rate {Rate(learningRate)}). Try a smaller learning rate.")
    {
        Epoch = epoch;
        Loss = (float)value;
    }

    /// <summary>The epoch (1-based) where it happened.</summary>
    public int Epoch { get; }

    /// <summary>The batch (1-based) within the epoch; 0 when it was found after a step (a weight, an evaluation).</summary>
    public int Batch { get; }

    /// <summary>The non-finite value (the loss, or the first non-finite weight).</summary>
    public float Loss { get; }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : (value > 0 ? "+infinity" : "-infinity");

    private static string Rate(float rate) => rate.ToString("G4", CultureInfo.InvariantCulture);
}
