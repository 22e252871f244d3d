namespace ScratchNet.Training;

/// <summary>Progress after one training batch, for progress bars.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">This batch's loss (penalties included).</param>
/// <param name="RunningLoss">Mean loss over the epoch so far.</param>
/// <param name="RunningAccuracy">Fraction correct over the epoch so far (NaN for regression).</param>
/// <param name="LearningRate">η used for this batch.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches, float Loss, double RunningLoss, double RunningAccuracy, float LearningRate);
