namespace ScratchNet.Training;

/// <summary>Measures of predictions ŷ against targets y, in the target's own units, summed in double.</summary>
public static class RegressionMetrics
{
    /// <summary>Mean absolute error (1/n) Σ |ŷ_i - y_i|.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        Check(predicted, actual);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) sum += Math.Abs((double)predicted[i] - actual[i]);
        return actual.Length == 0 ? double.NaN : sum / actual.Length;
    }

    /// <summary>Root mean squared error √((1/n) Σ (ŷ_i - y_i)²).</summary>
    public static double RootMeanSquaredError(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        Check(predicted, actual);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) { double e = (double)predicted[i] - actual[i]; sum += e * e; }
        return actual.Length == 0 ? double.NaN : Math.Sqrt(sum / actual.Length);
    }

    /// <summary>
    /// The coefficient of determination R² = 1 - Σ (y_i - ŷ_i)² / Σ (y_i - ȳ)²: 1 for a perfect fit, 0
    /// for always predicting the mean, negative for worse (NaN for a constant target).
    /// </summary>
    public static double RSquared(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        Check(predicted, actual);
        int n = actual.Length;
        if (n == 0) return double.NaN;
        double mean = 0;
        foreach (float y in actual) mean += y;
        mean /= n;
        double residual = 0, total = 0;
        for (int i = 0; i < n; i++)
        {
            double e = (double)actual[i] - predicted[i], d = actual[i] - mean;
            residual += e * e;
            total += d * d;
        }
        return total == 0 ? double.NaN : 1 - residual / total;
    }

    private static void Check(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        if (predicted.Length != actual.Length) throw new ArgumentException($"{predicted.Length} predictions for {actual.Length} targets.");
    }
}
