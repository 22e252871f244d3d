namespace ScratchNet.Training;

/// <summary>
/// Measures of a binary classifier's scores s_i (any monotone score of class 1: a logit, z₁ - z₀,
/// a probability) against labels y_i ∈ {0, 1}.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>
    /// The area under the ROC curve: the probability that a random positive scores above a random
    /// negative, ties counting one half. Computed as the Mann-Whitney statistic
    /// AUC = (R₁ - n₁(n₁ + 1)/2) / (n₁ n₀), with R₁ the sum of the positives' ranks (tied scores share
    /// their mean rank). NaN when a class is absent.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels.");
        int n = scores.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[a].CompareTo(s[b]));
        double positiveRanks = 0;
        long positives = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && s[order[j + 1]] == s[order[i]]) j++;
            double meanRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
                if (labels[order[k]] == 1) { positiveRanks += meanRank; positives++; }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// The threshold t that maximises F1 = 2TP / (2TP + FP + FN) when class 1 is predicted for s ≥ t,
    /// trying every distinct score as t (the highest t on a tie), and that F1. (NaN, NaN) without a positive.
    /// </summary>
    public static (double Threshold, double F1) BestF1Threshold(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels.");
        int n = scores.Length;
        long positives = 0;
        foreach (int y in labels) if (y == 1) positives++;
        if (positives == 0) return (double.NaN, double.NaN);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a]));
        long tp = 0, fp = 0;
        double bestF1 = -1, best = double.NaN;
        for (int i = 0; i < n;)
        {
            int j = i;
            for (; j < n && s[order[j]] == s[order[i]]; j++)
                if (labels[order[j]] == 1) tp++; else fp++;
            double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
            if (f1 > bestF1) { bestF1 = f1; best = s[order[i]]; }
            i = j;
        }
        return (best, bestF1);
    }
}
