using ScratchNet.IO;
namespace ScratchNet.Plotting;

/// <summary>
/// Common frame of the SVG charts (<see cref="LineChart"/>, <see cref="ScatterChart"/>): title, axis
/// labels, 1-2-5 ticks, a light grid, a legend placed in the emptiest corner. The output contains no
/// timestamps, paths or generated ids, so the same chart always gives the same text.
/// </summary>
public abstract class Chart
{
    private protected const string TextColor = "#262626";
    private protected const string TickColor = "#555555";
    private protected const string GridColor = "#e8e8e8";
    private protected const string MinorGridColor = "#f3f3f3";
    private protected const string AxisColor = "#9a9a9a";
    private const double TickFont = 12, LabelFont = 13.5, TitleFont = 16, LegendFont = 12.5;

    private protected readonly List<ChartSeries> Series = [];

    private protected Chart() { }

    /// <summary>Title above the plot (none when null).</summary>
    public string? Title { get; set; }

    /// <summary>Label of the horizontal axis.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label of the vertical axis.</summary>
    public string? YLabel { get; set; }

    /// <summary>Width of the picture in pixels.</summary>
    public int Width { get; set; } = 640;

    /// <summary>Height of the picture in pixels.</summary>
    public int Height { get; set; } = 400;

    /// <summary>Fixed lower x limit; null = from the data.</summary>
    public double? XMin { get; set; }

    /// <summary>Fixed upper x limit; null = from the data.</summary>
    public double? XMax { get; set; }

    /// <summary>Fixed lower y limit; null = from the data.</summary>
    public double? YMin { get; set; }

    /// <summary>Fixed upper y limit; null = from the data.</summary>
    public double? YMax { get; set; }

    /// <summary>Logarithmic y axis (values &lt;= 0 are left out).</summary>
    public bool LogY { get; set; }

    /// <summary>Show the legend: null = when there are at least two named series.</summary>
    public bool? ShowLegend { get; set; }

    /// <summary>Number of series added so far.</summary>
    public int SeriesCount => Series.Count;

    /// <summary>Fraction of the x data range added on each side.</summary>
    private protected abstract double XPadding { get; }

    /// <summary>Draws the data inside the plot area.</summary>
    private protected abstract void DrawData(SvgBuilder svg, ChartScale scale);

    private protected Rgb NextColor(Rgb? color) => color ?? Palette.Series(Series.Count);

    /// <summary>Renders the chart as a standalone SVG document.</summary>
    public string ToSvg()
    {
        if (Width < 120 || Height < 100)
            throw new InvalidOperationException($"Chart size {Width} x {Height} is too small; use at least 120 x 100.");
        var (xMin, xMax, yMin, yMax) = DataRange();

        double top = string.IsNullOrEmpty(Title) ? 16 : 46;
        double bottom = string.IsNullOrEmpty(XLabel) ? 34 : 56;
        double right = 22;
        double plotHeight = Height - top - bottom;

        List<double> yTicks, yMinor = [];
        double yStep = 0;
        if (LogY) yTicks = AxisTicks.Log(yMin, yMax, out yMinor);
        else yTicks = AxisTicks.Linear(yMin, yMax, Math.Max(2, (int)(plotHeight / 48)), out yStep);
        var yLabels = yTicks.Select(v => LogY ? AxisTicks.FormatLog(v) : AxisTicks.Format(v, yStep)).ToList();
        double yLabelWidth = yLabels.Count == 0 ? 0 : yLabels.Max(s => SvgBuilder.TextWidth(s, TickFont));
        double left = 12 + yLabelWidth + 10 + (string.IsNullOrEmpty(YLabel) ? 0 : 24);
        double plotWidth = Width - left - right;
        if (plotWidth < 40 || plotHeight < 40)
            throw new InvalidOperationException($"Chart size {Width} x {Height} leaves no room for the plot; make it larger.");

        var xTicks = AxisTicks.Linear(xMin, xMax, Math.Max(2, (int)(plotWidth / 80)), out double xStep);
        if (xStep < 1 && XIsWholeNumbers())
        {
            // Epochs and counts: no tick at 1.5 when the data are whole numbers.
            xStep = 1;
            xTicks = [.. xTicks.Where(v => v == Math.Round(v))];
        }
        var scale = new ChartScale(left, top, plotWidth, plotHeight, xMin, xMax, yMin, yMax, LogY);

        var svg = new SvgBuilder().Begin(Width, Height);
        svg.Rect(0, 0, Width, Height, "#ffffff");

        foreach (double v in yMinor) svg.Line(left, scale.Y(v), left + plotWidth, scale.Y(v), MinorGridColor);
        foreach (double v in yTicks) svg.Line(left, scale.Y(v), left + plotWidth, scale.Y(v), GridColor);
        foreach (double v in xTicks) svg.Line(scale.X(v), top, scale.X(v), top + plotHeight, GridColor);

        // The nested <svg> clips the data to the plot area without needing an id.
        svg.Raw($"<svg x=\"{SvgBuilder.F(left)}\" y=\"{SvgBuilder.F(top)}\" width=\"{SvgBuilder.F(plotWidth)}\" height=\"{SvgBuilder.F(plotHeight)}\" " +
                $"viewBox=\"{SvgBuilder.F(left)} {SvgBuilder.F(top)} {SvgBuilder.F(plotWidth)} {SvgBuilder.F(plotHeight)}\" overflow=\"hidden\">\n");
        DrawData(svg, scale);
        svg.Raw("</svg>\n");

        // Axes: left and bottom spines with short outward ticks.
        svg.Line(left, top + plotHeight, left + plotWidth, top + plotHeight, AxisColor);
        svg.Line(left, top, left, top + plotHeight, AxisColor);
        for (int i = 0; i < yTicks.Count; i++)
        {
            double y = scale.Y(yTicks[i]);
            svg.Line(left - 4, y, left, y, AxisColor);
            svg.Text(left - 8, y + TickFont * 0.35, yLabels[i], TickFont, TickColor, "end");
        }
        foreach (double v in xTicks)
        {
            double x = scale.X(v);
            svg.Line(x, top + plotHeight, x, top + plotHeight + 4, AxisColor);
            svg.Text(x, top + plotHeight + 8 + TickFont, AxisTicks.Format(v, xStep), TickFont, TickColor, "middle");
        }

        if (!string.IsNullOrEmpty(Title))
            svg.Text(left + plotWidth / 2, 28, Title, TitleFont, TextColor, "middle", "600");
        if (!string.IsNullOrEmpty(XLabel))
            svg.Text(left + plotWidth / 2, Height - 14, XLabel, LabelFont, TextColor, "middle");
        if (!string.IsNullOrEmpty(YLabel))
            svg.Text(18, top + plotHeight / 2, YLabel, LabelFont, TextColor, "middle", rotate: -90, baseline: "middle");

        if (ShowLegend ?? Series.Count(s => s.Name.Length > 0) >= 2)
            DrawLegend(svg, scale);
        return svg.End();
    }

    /// <summary>Writes the SVG file atomically (temporary file, then rename).</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, ToSvg());

    private bool XIsWholeNumbers() =>
        Series.Any(s => !s.IsFunctionLine) && Series.Where(s => !s.IsFunctionLine).All(s => s.Xs.All(x => !double.IsFinite(x) || x == Math.Round(x)));

    private (double XMin, double XMax, double YMin, double YMax) DataRange()
    {
        double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
        foreach (var s in Series)
        {
            if (s.IsFunctionLine) continue; // a fitted line spans whatever range the points give
            for (int i = 0; i < s.Xs.Length; i++)
            {
                double x = s.Xs[i], y = s.Ys[i];
                if (!double.IsFinite(x) || !double.IsFinite(y) || (LogY && y <= 0)) continue;
                x0 = Math.Min(x0, x); x1 = Math.Max(x1, x);
                y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
            }
        }
        if (x0 > x1) { x0 = 0; x1 = 1; y0 = LogY ? 0.1 : 0; y1 = 1; }
        (x0, x1) = Pad(x0, x1, XPadding, false);
        (y0, y1) = Pad(y0, y1, 0.05, LogY);
        x0 = XMin ?? x0; x1 = XMax ?? x1; y0 = YMin ?? y0; y1 = YMax ?? y1;
        if (!(x1 > x0)) throw new InvalidOperationException($"The x range [{x0}, {x1}] is empty.");
        if (!(y1 > y0)) throw new InvalidOperationException($"The y range [{y0}, {y1}] is empty.");
        if (LogY && !(y0 > 0)) throw new InvalidOperationException($"A log y axis needs a positive lower limit, got {y0}.");
        return (x0, x1, y0, y1);
    }

    private static (double, double) Pad(double lo, double hi, double fraction, bool log)
    {
        if (log)
        {
            double a = Math.Log10(lo), b = Math.Log10(hi);
            if (b - a < 1e-12) { a -= 0.5; b += 0.5; }
            double p = (b - a) * fraction;
            return (Math.Pow(10, a - p), Math.Pow(10, b + p));
        }
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            double d = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            return (lo - d, hi + d);
        }
        double pad = (hi - lo) * fraction;
        return (lo - pad, hi + pad);
    }

    private void DrawLegend(SvgBuilder svg, ChartScale scale)
    {
        var entries = Series.Where(s => s.Name.Length > 0).ToList();
        if (entries.Count == 0) return;
        const double rowHeight = 20, swatch = 24, pad = 10, inset = 10;
        double boxWidth = pad + swatch + 8 + entries.Max(e => SvgBuilder.TextWidth(e.Name, LegendFont)) + pad;
        double boxHeight = pad + entries.Count * rowHeight - 4 + pad - 4;

        // Candidate corners, in order of preference; pick the one covering the fewest data samples.
        (double X, double Y)[] corners =
        [
            (scale.Left + scale.Width - inset - boxWidth, scale.Top + inset),
            (scale.Left + inset, scale.Top + inset),
            (scale.Left + scale.Width - inset - boxWidth, scale.Top + scale.Height - inset - boxHeight),
            (scale.Left + inset, scale.Top + scale.Height - inset - boxHeight),
        ];
        var samples = DataSamples(scale);
        int best = 0, bestCount = int.MaxValue;
        for (int c = 0; c < corners.Length; c++)
        {
            var (bx, by) = corners[c];
            int count = samples.Count(p => p.X >= bx - 4 && p.X <= bx + boxWidth + 4 && p.Y >= by - 4 && p.Y <= by + boxHeight + 4);
            if (count < bestCount) { bestCount = count; best = c; }
        }
        var (x, y) = corners[best];
        svg.Rect(x, y, boxWidth, boxHeight, "#ffffff", "#d9d9d9", 1, 4, 0.92);
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            double cy = y + pad + i * rowHeight + 6;
            string color = e.Color.ToHex();
            if (e.IsLine)
                svg.Line(x + pad, cy, x + pad + swatch, cy, color, 2.25, ChartSeries.DashArray(e.Style));
            if (e.IsPoints)
                svg.Circle(x + pad + swatch / 2, cy, 4, color, "#ffffff", 0.8, 0.85);
            svg.Text(x + pad + swatch + 8, cy + LegendFont * 0.35, e.Name, LegendFont, TextColor);
        }
    }

    /// <summary>Pixel positions along the data (points and densely sampled segments) for legend placement.</summary>
    private List<(double X, double Y)> DataSamples(ChartScale scale)
    {
        var samples = new List<(double X, double Y)>();
        foreach (var s in Series)
        {
            if (s.IsFunctionLine)
            {
                for (int k = 0; k <= 40; k++)
                {
                    double x = scale.XMin + (scale.XMax - scale.XMin) * k / 40, y = s.Intercept + s.Slope * x;
                    if (scale.IsDrawable(x, y)) samples.Add((scale.X(x), scale.Y(y)));
                }
                continue;
            }
            for (int i = 0; i < s.Xs.Length; i++)
            {
                if (!scale.IsDrawable(s.Xs[i], s.Ys[i])) continue;
                var p = (X: scale.X(s.Xs[i]), Y: scale.Y(s.Ys[i]));
                samples.Add(p);
                if (s.IsLine && i + 1 < s.Xs.Length && scale.IsDrawable(s.Xs[i + 1], s.Ys[i + 1]))
                {
                    var q = (X: scale.X(s.Xs[i + 1]), Y: scale.Y(s.Ys[i + 1]));
                    int steps = (int)Math.Min(50, Math.Ceiling(Math.Abs(q.X - p.X) + Math.Abs(q.Y - p.Y)) / 6);
                    for (int k = 1; k < steps; k++)
                        samples.Add((p.X + (q.X - p.X) * k / steps, p.Y + (q.Y - p.Y) * k / steps));
                }
            }
        }
        return samples;
    }

    /// <summary>The SVG path of a polyline through the drawable points; non-drawable points break it.</summary>
    private protected static string PolylinePath(ChartScale scale, double[] xs, double[] ys)
    {
        var d = new System.Text.StringBuilder();
        bool pen = false;
        for (int i = 0; i < xs.Length; i++)
        {
            if (!scale.IsDrawable(xs[i], ys[i])) { pen = false; continue; }
            d.Append(pen ? " L" : (d.Length > 0 ? " M" : "M")).Append(SvgBuilder.F(scale.X(xs[i]))).Append(' ').Append(SvgBuilder.F(scale.Y(ys[i])));
            pen = true;
        }
        return d.ToString();
    }
}
