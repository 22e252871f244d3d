using System.Globalization;
using System.Text;

namespace ScratchNet.Training;

/// <summary>
/// Counts[actual, predicted] over a labelled set. Precision of class c = TP / (TP + FP) = column c's
/// diagonal share; recall = TP / (TP + FN) = row c's diagonal share (NaN when the denominator is 0).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount, IReadOnlyList<string>? classNames = null)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), $"A confusion matrix needs at least 1 class (got {classCount}).");
        ClassCount = classCount;
        _counts = new long[classCount, classCount];
        ClassNames = classNames ?? Enumerable.Range(0, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Class names for display.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Total samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        if ((uint)actual >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(actual), $"Class {actual} is outside 0..{ClassCount - 1}.");
        if ((uint)predicted >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(predicted), $"Class {predicted} is outside 0..{ClassCount - 1}.");
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Fraction on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long diag = 0;
            for (int c = 0; c < ClassCount; c++) diag += _counts[c, c];
            return Total == 0 ? double.NaN : diag / (double)Total;
        }
    }

    /// <summary>TP / (TP + FP) for class <paramref name="c"/>.</summary>
    public double Precision(int c)
    {
        long column = 0;
        for (int a = 0; a < ClassCount; a++) column += _counts[a, c];
        return column == 0 ? double.NaN : _counts[c, c] / (double)column;
    }

    /// <summary>TP / (TP + FN) for class <paramref name="c"/>.</summary>
    public double Recall(int c)
    {
        long row = 0;
        for (int p = 0; p < ClassCount; p++) row += _counts[c, p];
        return row == 0 ? double.NaN : _counts[c, c] / (double)row;
    }

    /// <summary>2TP / (2TP + FP + FN) for class <paramref name="c"/>, the harmonic mean of precision and recall (NaN when the class is neither present nor predicted).</summary>
    public double F1(int c)
    {
        long predicted = 0, actual = 0;
        for (int k = 0; k < ClassCount; k++) { predicted += _counts[k, c]; actual += _counts[c, k]; }
        return predicted + actual == 0 ? double.NaN : 2.0 * _counts[c, c] / (predicted + actual);
    }

    /// <summary>The counts as a jagged array [actual][predicted].</summary>
    public long[][] ToArray() =>
        Enumerable.Range(0, ClassCount).Select(a => Enumerable.Range(0, ClassCount).Select(p => _counts[a, p]).ToArray()).ToArray();

    /// <summary>A text table: rows are actual classes, columns predicted, then recall; last rows precision and F1.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int w = Math.Max(6, Math.Max(Total.ToString(CultureInfo.InvariantCulture).Length, ClassNames.Max(n => n.Length)) + 1);
        sb.Append("actual\\pred".PadRight(12));
        foreach (var name in ClassNames) sb.Append(name.PadLeft(w));
        sb.AppendLine("  recall");
        for (int a = 0; a < ClassCount; a++)
        {
            sb.Append(ClassNames[a].PadRight(12));
            for (int p = 0; p < ClassCount; p++) sb.Append(_counts[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(w));
            sb.AppendLine(Recall(a).ToString("F3", CultureInfo.InvariantCulture).PadLeft(8));
        }
        sb.Append("precision".PadRight(12));
        for (int p = 0; p < ClassCount; p++) sb.Append(Precision(p).ToString("F3", CultureInfo.InvariantCulture).PadLeft(w));
        sb.AppendLine();
        sb.Append("f1".PadRight(12));
        for (int p = 0; p < ClassCount; p++) sb.Append(F1(p).ToString("F3", CultureInfo.InvariantCulture).PadLeft(w));
        sb.AppendLine();
        return sb.ToString();
    }
}
