using ScratchNet.Training;

namespace ScratchNet.Tests.Training;

/// <summary>
/// The classification and regression metrics against scikit-learn 1.2's values on small cases
/// (precision_recall_fscore_support, roc_auc_score, f1_score, mean_absolute_error,
/// mean_squared_error, r2_score), and the chosen threshold against a brute-force search.
/// </summary>
public class TableMetricsTests
{
    private static EvaluationResult Classified(int[] actual, int[] predicted, int classes)
    {
        var cm = new ConfusionMatrix(classes);
        for (int i = 0; i < actual.Length; i++) cm.Add(actual[i], predicted[i]);
        return new EvaluationResult { Confusion = cm, Count = actual.Length };
    }

    [Fact]
    public void PrecisionRecallAndF1PerClassAndMacroMatchScikitLearn()
    {
        var r = Classified([0, 1, 2, 2, 1, 0, 2, 1, 1, 0], [0, 2, 2, 2, 1, 0, 1, 1, 0, 0], 3);
        Assert.Equal([0.75, 2.0 / 3, 2.0 / 3], r.Precision, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([1.0, 0.5, 2.0 / 3], r.Recall, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([0.8571428571428571, 0.5714285714285714, 0.6666666666666666], r.F1, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.6944444444444443, r.MacroPrecision, 12);
        Assert.Equal(0.7222222222222222, r.MacroRecall, 12);
        Assert.Equal(0.6984126984126985, r.MacroF1, 12);
    }

    /// <summary>A class never predicted has no precision: it counts 0 in the macro mean, as scikit-learn's zero_division default.</summary>
    [Fact]
    public void AnUndefinedPrecisionCountsZeroInTheMacroMean()
    {
        var r = Classified([0, 1, 1], [0, 0, 0], 2);
        Assert.True(double.IsNaN(r.Precision[1]));
        Assert.Equal((1.0 / 3 + 0) / 2, r.MacroPrecision, 12);
        Assert.Equal(0, r.F1[1]);
    }

    /// <summary>Tied scores (three at 0.4, one of them positive) count one half: scikit-learn gives 0.8125.</summary>
    [Fact]
    public void RocAucWithTiesMatchesScikitLearn()
    {
        double[] s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.4, 0.2];
        int[] y = [0, 0, 1, 1, 0, 1, 1, 0];
        Assert.Equal(0.8125, BinaryMetrics.RocAuc(s, y), 12);
        Assert.Equal(1.0, BinaryMetrics.RocAuc([1, 2, 3], [0, 1, 1]), 12);
        Assert.Equal(0.0, BinaryMetrics.RocAuc([3, 2, 1], [0, 1, 1]), 12);
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([1, 2], [1, 1])));
    }

    /// <summary>Every distinct score tried as the threshold: 0.35 gives TP 4, FP 2, FN 0, F1 0.8, the best (0.4 gives 2/3, 0.2 gives 8/11).</summary>
    [Fact]
    public void TheChosenThresholdMaximisesF1()
    {
        double[] s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.4, 0.2];
        int[] y = [0, 0, 1, 1, 0, 1, 1, 0];
        var (t, f1) = BinaryMetrics.BestF1Threshold(s, y);
        Assert.Equal(0.35, t);
        Assert.Equal(0.8, f1, 12);
    }

    [Fact]
    public void RegressionMetricsMatchScikitLearn()
    {
        float[] actual = [3, -0.5f, 2, 7], predicted = [2.5f, 0, 2, 8];
        Assert.Equal(0.5, RegressionMetrics.MeanAbsoluteError(predicted, actual), 12);
        Assert.Equal(0.6123724356957945, RegressionMetrics.RootMeanSquaredError(predicted, actual), 12);
        Assert.Equal(0.9486081370449679, RegressionMetrics.RSquared(predicted, actual), 12);
        Assert.True(double.IsNaN(RegressionMetrics.RSquared([1, 2], [5, 5])));
    }
}
