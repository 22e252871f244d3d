namespace ScratchNet.Training;

/// <summary>Loss and classification quality of a model on a dataset.</summary>
public sealed class EvaluationResult
{
    /// <summary>Mean loss per sample (NaN when no loss was given).</summary>
    public double Loss { get; init; } = double.NaN;

    /// <summary>Fraction classified correctly (NaN for regression).</summary>
    public double Accuracy { get; init; } = double.NaN;

    /// <summary>Number of samples evaluated.</summary>
    public int Count { get; init; }

    /// <summary>Counts[actual, predicted] (null for regression).</summary>
    public ConfusionMatrix? Confusion { get; init; }

    /// <summary>Predicted class of every sample, in dataset order (null for regression).</summary>
    public int[]? Predictions { get; init; }

    /// <summary>Per-class precision TP/(TP+FP) (empty for regression).</summary>
    public double[] Precision => Confusion is null ? [] : Enumerable.Range(0, Confusion.ClassCount).Select(Confusion.Precision).ToArray();

    /// <summary>Per-class recall TP/(TP+FN) (empty for regression).</summary>
    public double[] Recall => Confusion is null ? [] : Enumerable.Range(0, Confusion.ClassCount).Select(Confusion.Recall).ToArray();
}
