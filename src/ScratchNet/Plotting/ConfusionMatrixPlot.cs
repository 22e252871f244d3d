using ScratchNet.IO;
using System.Globalization;

namespace ScratchNet.Plotting;

/// <summary>
/// A confusion matrix as SVG: row = true class, column = predicted class, the count in each cell, the
/// cell coloured by its row-normalised value (the fraction of that true class predicted as the column:
/// the diagonal is the per-class recall), class names on both axes and the overall accuracy.
/// <code>
/// ConfusionMatrixPlot.FromPredictions(truth, predicted, ["0", "1", ..., "9"]).SaveSvg("runs/mnist/confusion.svg");
/// </code>
/// </summary>
public sealed class ConfusionMatrixPlot
{
    private const string TextColor = "#262626";
    private readonly int[,] _counts;
    private readonly string[] _names;

    /// <summary>Title above the matrix.</summary>
    public string? Title { get; set; } = "Confusion matrix";

    /// <summary>Side of a cell in pixels; 0 = chosen from the number of classes.</summary>
    public int CellSize { get; set; }

    /// <summary>Colour map of the row-normalised values (default <see cref="ColorMap.Blues"/>).</summary>
    public ColorMap ColorMap { get; set; } = ColorMap.Blues;

    /// <summary>Number of classes.</summary>
    public int ClassCount => _names.Length;

    /// <summary>counts[true, predicted]; class names default to "0", "1", ...</summary>
    public ConfusionMatrixPlot(int[,] counts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
            throw new ArgumentException($"A confusion matrix must be square and non-empty, got {counts.GetLength(0)} x {counts.GetLength(1)}.", nameof(counts));
        foreach (int c in counts)
            if (c < 0) throw new ArgumentException($"Confusion counts must be 0 or more, found {c}.", nameof(counts));
        if (classNames is not null && classNames.Count != n)
            throw new ArgumentException($"Got {classNames.Count} class names for {n} classes.", nameof(classNames));
        _counts = (int[,])counts.Clone();
        _names = classNames is null ? [.. Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture))] : [.. classNames];
    }

    /// <summary>Counts pairs (truth[i], predicted[i]) into a matrix over <paramref name="classNames"/>.Count classes.</summary>
    public static ConfusionMatrixPlot FromPredictions(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(classNames);
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"Got {truth.Count} true classes but {predicted.Count} predictions.", nameof(predicted));
        int n = classNames.Count;
        var counts = new int[n, n];
        for (int i = 0; i < truth.Count; i++)
        {
            if ((uint)truth[i] >= (uint)n || (uint)predicted[i] >= (uint)n)
                throw new ArgumentException($"Sample {i}: true class {truth[i]}, predicted {predicted[i]}; classes must be in 0..{n - 1}.");
            counts[truth[i], predicted[i]]++;
        }
        return new ConfusionMatrixPlot(counts, classNames);
    }

    /// <summary>counts[true, predicted].</summary>
    public int this[int trueClass, int predictedClass] => _counts[trueClass, predictedClass];

    /// <summary>Fraction of samples on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long total = 0, correct = 0;
            for (int i = 0; i < ClassCount; i++)
                for (int j = 0; j < ClassCount; j++)
                {
                    total += _counts[i, j];
                    if (i == j) correct += _counts[i, j];
                }
            return total == 0 ? 0 : (double)correct / total;
        }
    }

    /// <summary>Renders the matrix as a standalone SVG document.</summary>
    public string ToSvg()
    {
        int n = ClassCount;
        double cell = CellSize > 0 ? CellSize : Math.Clamp(440.0 / n, 30, 72);
        double nameWidth = _names.Max(s => SvgBuilder.TextWidth(s, 12.5));
        bool rotateNames = nameWidth > cell - 6;
        double left = 24 + 14 + nameWidth + 10;
        double top = string.IsNullOrEmpty(Title) ? 18 : 62;
        double gridSize = cell * n;
        double bottom = 14 + (rotateNames ? nameWidth * 0.72 + 12 : 18) + 30;
        double barWidth = 14, barGap = 22, barLabels = 44;
        double width = left + gridSize + barGap + barWidth + barLabels;
        double height = top + gridSize + bottom;

        var svg = new SvgBuilder().Begin(Math.Ceiling(width), Math.Ceiling(height));
        svg.Rect(0, 0, Math.Ceiling(width), Math.Ceiling(height), "#ffffff");
        if (!string.IsNullOrEmpty(Title))
        {
            svg.Text(left + gridSize / 2, 28, Title, 16, TextColor, "middle", "600");
            long total = 0;
            foreach (int c in _counts) total += c;
            svg.Text(left + gridSize / 2, 48, string.Create(CultureInfo.InvariantCulture, $"accuracy {Accuracy * 100:0.00} %  (n = {total})"), 12.5, "#555555", "middle");
        }

        double countFont = Math.Clamp(cell * 0.3, 9, 15);
        for (int i = 0; i < n; i++)
        {
            long rowTotal = 0;
            for (int j = 0; j < n; j++) rowTotal += _counts[i, j];
            for (int j = 0; j < n; j++)
            {
                double value = rowTotal == 0 ? 0 : (double)_counts[i, j] / rowTotal;
                Rgb fill = ColorMap.Map(value);
                double x = left + j * cell, y = top + i * cell;
                svg.Rect(x, y, cell, cell, fill.ToHex(), "#ffffff", 1);
                string ink = Luminance(fill) < 0.45 ? "#ffffff" : TextColor;
                svg.Text(x + cell / 2, y + cell / 2 + countFont * 0.35, _counts[i, j].ToString(CultureInfo.InvariantCulture), countFont, ink, "middle",
                         i == j ? "600" : null);
            }
        }
        svg.Rect(left, top, gridSize, gridSize, "none", "#9a9a9a", 1);

        for (int i = 0; i < n; i++)
            svg.Text(left - 8, top + i * cell + cell / 2 + 12.5 * 0.35, _names[i], 12.5, TextColor, "end");
        double namesY = top + gridSize + 8;
        for (int j = 0; j < n; j++)
        {
            double x = left + j * cell + cell / 2;
            if (rotateNames) svg.Text(x + 4, namesY + 4, _names[j], 12.5, TextColor, "end", rotate: -45);
            else svg.Text(x, namesY + 12.5, _names[j], 12.5, TextColor, "middle");
        }
        svg.Text(left + gridSize / 2, height - 14, "predicted class", 13.5, TextColor, "middle");
        svg.Text(18, top + gridSize / 2, "true class", 13.5, TextColor, "middle", rotate: -90, baseline: "middle");

        // Colour bar: 40 bands (a gradient would need an id, and ids collide when SVGs are inlined in one page).
        double barX = left + gridSize + barGap;
        const int bands = 40;
        for (int b = 0; b < bands; b++)
        {
            double t0 = (double)b / bands;
            svg.Rect(barX, top + gridSize * (1 - t0 - 1.0 / bands), barWidth, gridSize / bands + 0.5, ColorMap.Map(t0 + 0.5 / bands).ToHex());
        }
        svg.Rect(barX, top, barWidth, gridSize, "none", "#9a9a9a", 1);
        foreach (double t in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
        {
            double y = top + gridSize * (1 - t);
            svg.Line(barX + barWidth, y, barX + barWidth + 3, y, "#9a9a9a");
            svg.Text(barX + barWidth + 6, y + 11 * 0.35, string.Create(CultureInfo.InvariantCulture, $"{t * 100:0}%"), 11, "#555555");
        }
        return svg.End();
    }

    /// <summary>Writes the SVG file atomically.</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, ToSvg());

    /// <summary>Relative luminance (sRGB approximated by gamma 2.2) to pick white or dark text.</summary>
    private static double Luminance(Rgb c) =>
        0.2126 * Math.Pow(c.R / 255.0, 2.2) + 0.7152 * Math.Pow(c.G / 255.0, 2.2) + 0.0722 * Math.Pow(c.B / 255.0, 2.2);
}
