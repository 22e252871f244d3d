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

    /// <summary>Per-class F1 = 2PR/(P + R) = 2TP/(2TP + FP + FN) (empty for regression; NaN for a class neither present nor predicted).</summary>
    public double[] F1 => Confusion is null ? [] : Enumerable.Range(0, Confusion.ClassCount).Select(Confusion.F1).ToArray();

    /// <summary>The unweighted mean of the per-class precisions, an undefined one (no sample predicted in the class) counting 0, as scikit-learn's average="macro".</summary>
    public double MacroPrecision => Macro(Precision);

    /// <summary>The unweighted mean of the per-class recalls (an undefined one counting 0).</summary>
    public double MacroRecall => Macro(Recall);

    /// <summary>The unweighted mean of the per-class F1 scores (an undefined one counting 0).</summary>
    public double MacroF1 => Macro(F1);

    /// <summary>Two classes: each sample's score of class 1 (the logit, or z₁ - z₀), in dataset order; null otherwise.</summary>
    public double[]? Scores { get; init; }

    /// <summary>Two classes: each sample's true class (0 or 1), in dataset order; null otherwise.</summary>
    public int[]? Labels { get; init; }

    /// <summary>Two classes: the area under the ROC curve of <see cref="Scores"/> (<see cref="BinaryMetrics.RocAuc"/>); NaN otherwise.</summary>
    public double RocAuc { get; init; } = double.NaN;

    /// <summary>Regression: mean absolute error in the target's units; NaN otherwise.</summary>
    public double MeanAbsoluteError { get; init; } = double.NaN;

    /// <summary>Regression: root mean squared error in the target's units; NaN otherwise.</summary>
    public double RootMeanSquaredError { get; init; } = double.NaN;

    /// <summary>Regression: R² = 1 - SS_res / SS_tot; NaN otherwise.</summary>
    public double RSquared { get; init; } = double.NaN;

    private static double Macro(double[] perClass) => perClass.Length == 0 ? double.NaN : perClass.Average(v => double.IsNaN(v) ? 0 : v);
}
