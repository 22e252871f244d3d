using System.Globalization;
using System.Text;

namespace ScratchNet.Lessons.Drawing;

/// <summary>How a series is drawn.</summary>
public enum SeriesStyle { Line, Dots, DashedLine }

/// <summary>One named run of (x, y) points; <paramref name="Color"/> picks from the palette when null.</summary>
public sealed record Series(string Name, double[] X, double[] Y, SeriesStyle Style = SeriesStyle.Line, string? Color = null);

/// <summary>
/// One chart panel. <paramref name="Background"/>, when given, colours each point of the plane by a
/// value in [0, 1] (a classifier's probability): the decision regions.
/// </summary>
public sealed record Chart(
    string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series,
    bool LogY = false, (double Min, double Max)? XRange = null, (double Min, double Max)? YRange = null,
    Func<double, double, double>? Background = null);

/// <summary>
/// Every picture the lessons draw goes through here, so that the drawing is in one place. The
/// lessons only say what to draw (series, panels, images); this file writes SVG.
/// </summary>
public static class Pictures
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
    private const int PanelWidth = 440, PanelHeight = 340, Left = 62, Right = 14, Top = 34, Bottom = 46;

    /// <summary>Draws the panels side by side into one SVG file at <paramref name="path"/>.</summary>
    public static void Draw(string path, params Chart[] panels)
    {
        var svg = new StringBuilder();
        int width = PanelWidth * panels.Length, height = PanelHeight + 30;
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        for (int p = 0; p < panels.Length; p++) DrawPanel(svg, panels[p], p * PanelWidth);
        svg.Append("</svg>\n");
        WriteAtomically(path, svg.ToString());
    }

    /// <summary>
    /// Draws grey-scale images side by side, each with a caption. Values are scaled per image from
    /// its minimum (black) to its maximum (white); with <paramref name="signed"/>, zero is grey.
    /// A <paramref name="cell"/> of 0 draws every image about 168 pixels wide.
    /// </summary>
    public static void Images(string path, IReadOnlyList<(string Caption, double[,] Pixels)> images, bool signed = false, int cell = 0)
    {
        var svg = new StringBuilder();
        int width = 20, height = 0;
        int Cell(double[,] px) => cell > 0 ? cell : Math.Max(1, 168 / px.GetLength(1));
        foreach (var (_, px) in images) { width += px.GetLength(1) * Cell(px) + 20; height = Math.Max(height, px.GetLength(0) * Cell(px)); }
        height += 50;
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\" shape-rendering=\"crispEdges\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        int x0 = 20;
        foreach (var (caption, px) in images)
        {
            int rows = px.GetLength(0), cols = px.GetLength(1), size = Cell(px);
            double min = double.MaxValue, max = double.MinValue;
            foreach (double v in px) { min = Math.Min(min, v); max = Math.Max(max, v); }
            if (signed) { max = Math.Max(Math.Abs(min), Math.Abs(max)); min = -max; }
            double span = max > min ? max - min : 1;
            svg.Append(Invariant($"<text x=\"{x0}\" y=\"20\">{Escape(caption)}</text>\n"));
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    int g = (int)Math.Round(255 * (px[r, c] - min) / span);
                    svg.Append(Invariant($"<rect x=\"{x0 + c * size}\" y=\"{30 + r * size}\" width=\"{size}\" height=\"{size}\" fill=\"rgb({g},{g},{g})\"/>"));
                }
            svg.Append('\n');
            x0 += cols * size + 20;
        }
        svg.Append("</svg>\n");
        WriteAtomically(path, svg.ToString());
    }

    private static void DrawPanel(StringBuilder svg, Chart chart, int offsetX)
    {
        var all = chart.Series;
        (double xMin, double xMax) = chart.XRange ?? Extent(all.SelectMany(s => s.X));
        (double yMin, double yMax) = chart.YRange ?? Extent(all.SelectMany(s => s.Y).Where(v => !chart.LogY || v > 0));
        if (chart.LogY) { yMin = Math.Log10(yMin); yMax = Math.Log10(yMax); }
        if (chart.YRange is null) { double pad = 0.05 * (yMax - yMin); yMin -= pad; yMax += pad; }
        int plotW = PanelWidth - Left - Right, plotH = PanelHeight - Top - Bottom;
        double Sx(double x) => offsetX + Left + (x - xMin) / (xMax - xMin) * plotW;
        double Sy(double y) => Top + (1 - ((chart.LogY ? Math.Log10(y) : y) - yMin) / (yMax - yMin)) * plotH;

        svg.Append(Invariant($"<text x=\"{offsetX + PanelWidth / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{Escape(chart.Title)}</text>\n"));
        if (chart.Background is { } f)
        {
            const int cells = 60;
            double cw = (double)plotW / cells, ch = (double)plotH / cells;
            for (int i = 0; i < cells; i++)
                for (int j = 0; j < cells; j++)
                {
                    double x = xMin + (i + 0.5) / cells * (xMax - xMin), y = yMax - (j + 0.5) / cells * (yMax - yMin);
                    double v = Math.Clamp(f(x, y), 0, 1);
                    // Blue for 0, red for 1, white at 0.5: the boundary is where the colour fades.
                    int r = (int)(255 - 90 * Math.Max(0, 0.5 - v) * 2), b = (int)(255 - 90 * Math.Max(0, v - 0.5) * 2), g = Math.Min(r, b);
                    svg.Append(Invariant($"<rect x=\"{offsetX + Left + i * cw:F1}\" y=\"{Top + j * ch:F1}\" width=\"{cw + 0.6:F1}\" height=\"{ch + 0.6:F1}\" fill=\"rgb({b},{g},{r})\"/>"));
                }
            svg.Append('\n');
        }
        svg.Append(Invariant($"<rect x=\"{offsetX + Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#444\"/>\n"));
        for (int t = 0; t <= 4; t++)
        {
            double xv = xMin + t / 4.0 * (xMax - xMin), yv = yMin + t / 4.0 * (yMax - yMin);
            string yText = chart.LogY ? Format(Math.Pow(10, yv)) : Format(yv);
            double px = Sx(xv), py = Top + (1 - t / 4.0) * plotH;
            svg.Append(Invariant($"<text x=\"{px:F1}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Format(xv)}</text>"));
            svg.Append(Invariant($"<text x=\"{offsetX + Left - 4}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{yText}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{offsetX + Left + plotW / 2}\" y=\"{PanelHeight - 8}\" text-anchor=\"middle\">{Escape(chart.XLabel)}</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate({offsetX + 14},{Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(chart.YLabel)}</text>\n"));

        svg.Append(Invariant($"<svg x=\"{offsetX + Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" overflow=\"hidden\"><g transform=\"translate({-(offsetX + Left)},{-Top})\">\n"));
        for (int s = 0; s < all.Count; s++)
        {
            var series = all[s];
            string color = series.Color ?? Palette[s % Palette.Length];
            if (series.Style == SeriesStyle.Dots)
            {
                for (int i = 0; i < series.X.Length; i++)
                    svg.Append(Invariant($"<circle cx=\"{Sx(series.X[i]):F1}\" cy=\"{Sy(series.Y[i]):F1}\" r=\"3.5\" fill=\"{color}\" stroke=\"white\" stroke-width=\"0.8\"/>"));
            }
            else
            {
                var points = Enumerable.Range(0, series.X.Length)
                    .Where(i => double.IsFinite(series.Y[i]) && (!chart.LogY || series.Y[i] > 0))
                    .Select(i => Invariant($"{Sx(series.X[i]):F1},{Sy(series.Y[i]):F1}"));
                string dash = series.Style == SeriesStyle.DashedLine ? " stroke-dasharray=\"6,4\"" : "";
                svg.Append(Invariant($"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>"));
            }
            svg.Append('\n');
        }
        svg.Append("</g></svg>\n");
        for (int s = 0; s < all.Count; s++)
        {
            string color = all[s].Color ?? Palette[s % Palette.Length];
            int ly = Top + 14 + 16 * s;
            svg.Append(Invariant($"<rect x=\"{offsetX + Left + 10}\" y=\"{ly - 9}\" width=\"12\" height=\"10\" fill=\"{color}\"/><text x=\"{offsetX + Left + 27}\" y=\"{ly}\">{Escape(all[s].Name)}</text>\n"));
        }
    }

    private static (double, double) Extent(IEnumerable<double> values)
    {
        double min = double.MaxValue, max = double.MinValue;
        foreach (double v in values) if (double.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (min > max) return (0, 1);
        if (min == max) return (min - 1, max + 1);
        return (min, max);
    }

    private static string Format(double v) =>
        Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-2 && v != 0) ? v.ToString("0.#E+0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then moves it into place (no half-written pictures).</summary>
    private static void WriteAtomically(string path, string content)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
