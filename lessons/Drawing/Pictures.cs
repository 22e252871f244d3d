using System.Globalization;
using System.Text;
using ScratchNet.Plotting;
using PlotChart = ScratchNet.Plotting.Chart;

namespace ScratchNet.Lessons.Drawing;

/// <summary>How a series is drawn.</summary>
public enum SeriesStyle { Line, Dots, DashedLine }

/// <summary>One named run of (x, y) points; <paramref name="Color"/> (like "#d62728") picks from the palette when null.</summary>
public sealed record Series(string Name, double[] X, double[] Y, SeriesStyle Style = SeriesStyle.Line, string? Color = null);

/// <summary>
/// One chart panel. <paramref name="Background"/>, when given, colours each point of the plane by a
/// value in [0, 1] (a classifier's probability of class 1) and outlines where it crosses 0.5: the
/// decision regions. Its dot series are then the classes 0, 1, ... in order.
/// </summary>
public sealed record Chart(
    string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series,
    bool LogY = false, (double Min, double Max)? XRange = null, (double Min, double Max)? YRange = null,
    Func<double, double, double>? Background = null);

/// <summary>
/// Every picture the lessons draw goes through here, so that the lessons only say what to draw
/// (series, panels, images) and stay free of drawing code. The drawing itself is the library's
/// (ScratchNet.Plotting): LineChart and ScatterChart for curves and points, DecisionBoundaryPlot for
/// regions; panels are placed side by side in one SVG file.
/// </summary>
public static class Pictures
{
    private const int PanelWidth = 520, PanelHeight = 400, RegionSize = 400;

    /// <summary>Draws the panels side by side into one SVG file at <paramref name="path"/>.</summary>
    public static void Draw(string path, params Chart[] panels)
    {
        var parts = panels.Select(p => p.Background is null ? VectorPanel(p) : RegionPanel(p)).ToList();
        WriteComposite(path, parts);
    }

    /// <summary>
    /// Draws images side by side, each with a caption: grey from its minimum (black) to its maximum
    /// (white), or with <paramref name="signed"/> blue (negative), white (zero), red (positive).
    /// A <paramref name="cell"/> of 0 draws every image about 168 pixels wide.
    /// </summary>
    public static void Images(string path, IReadOnlyList<(string Caption, double[,] Pixels)> images, bool signed = false, int cell = 0)
    {
        var parts = new List<(string Svg, int Width, int Height)>();
        foreach (var (caption, px) in images)
        {
            int rows = px.GetLength(0), cols = px.GetLength(1), size = cell > 0 ? cell : Math.Max(1, 168 / cols);
            var values = new float[rows * cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) values[r * cols + c] = (float)px[r, c];
            var image = ImageGrid.Tiles(values, 1, rows, cols, columns: 1,
                signed ? ColorMap.Diverging : ColorMap.Gray, signed ? TileScaling.SymmetricPerTile : TileScaling.MinMaxPerTile, pixelScale: size, gap: 0);
            parts.Add(Captioned(caption, image));
        }
        WriteComposite(path, parts);
    }

    /// <summary>
    /// The incoming weights of the first <paramref name="count"/> units of a layer whose weights are
    /// (height·width) × units, row-major, each drawn as a height × width picture.
    /// </summary>
    public static void WeightTiles(string path, string caption, float[] weights, int units, int height, int width, int count)
    {
        var image = ImageGrid.WeightTiles(new Tensors.Tensor(weights, height * width, units), height, width, maxTiles: count, columns: 8, pixelScale: 3);
        WriteComposite(path, [Captioned(caption, image)]);
    }

    /// <summary>Images with their predicted class under each; mistakes in red with the true class.</summary>
    public static void LabelledImages(string path, string title, float[] images, int count, int height, int width, int[] predicted, int[] truth) =>
        WriteComposite(path, [(ImageGrid.LabelledSvg(images, count, height, width, predicted, truth, columns: 10, title: title), 0, 0)]);

    private static (string Svg, int Width, int Height) Captioned(string caption, RgbImage image)
    {
        int width = Math.Max(image.Width, caption.Length * 7) + 20, height = image.Height + 40;
        string svg = Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">\n") +
            Invariant($"<text x=\"10\" y=\"20\">{Escape(caption)}</text>\n") +
            Invariant($"<image x=\"10\" y=\"30\" width=\"{image.Width}\" height=\"{image.Height}\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{Convert.ToBase64String(PngEncoder.Encode(image))}\"/>\n") +
            "</svg>\n";
        return (svg, width, height);
    }

    /// <summary>A line chart, or a scatter chart when some series are dots.</summary>
    private static (string Svg, int Width, int Height) VectorPanel(Chart panel)
    {
        PlotChart chart;
        if (panel.Series.Any(s => s.Style == SeriesStyle.Dots))
        {
            var scatter = new ScatterChart();
            foreach (var s in panel.Series)
            {
                if (s.Style == SeriesStyle.Dots) scatter.AddPoints(s.Name, s.X, s.Y, ColorOf(s));
                else scatter.AddCurve(s.Name, s.X, s.Y, LineStyleOf(s), ColorOf(s));
            }
            chart = scatter;
        }
        else
        {
            var lines = new LineChart();
            foreach (var s in panel.Series) lines.AddSeries(s.Name, s.X, s.Y, LineStyleOf(s), ColorOf(s));
            chart = lines;
        }
        chart.Title = panel.Title;
        chart.XLabel = panel.XLabel;
        chart.YLabel = panel.YLabel;
        chart.LogY = panel.LogY;
        chart.Width = PanelWidth;
        chart.Height = PanelHeight;
        if (panel.XRange is { } xr) { chart.XMin = xr.Min; chart.XMax = xr.Max; }
        if (panel.YRange is { } yr) { chart.YMin = yr.Min; chart.YMax = yr.Max; }
        return (chart.ToSvg(), PanelWidth, PanelHeight);
    }

    /// <summary>Decision regions with the points on top (a raster picture, embedded as PNG).</summary>
    private static (string Svg, int Width, int Height) RegionPanel(Chart panel)
    {
        var dots = panel.Series.Where(s => s.Style == SeriesStyle.Dots).ToList();
        int count = dots.Sum(s => s.X.Length);
        var points = new float[count, 2];
        var classes = new int[count];
        int n = 0;
        for (int cls = 0; cls < dots.Count; cls++)
            for (int i = 0; i < dots[cls].X.Length; i++, n++)
                (points[n, 0], points[n, 1], classes[n]) = ((float)dots[cls].X[i], (float)dots[cls].Y[i], cls);
        var plot = new DecisionBoundaryPlot(points, classes) { Width = RegionSize, Height = RegionSize, XLabel = panel.XLabel, YLabel = panel.YLabel };
        if (panel.XRange is { } xr && panel.YRange is { } yr) plot.Range = (xr.Min, xr.Max, yr.Min, yr.Max);
        var background = panel.Background!;
        var image = plot.RenderProbabilities(grid =>
        {
            var p = new float[grid.GetLength(0)];
            for (int i = 0; i < p.Length; i++) p[i] = (float)background(grid[i, 0], grid[i, 1]);
            return p;
        }, panel.Title);
        string svg = Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{RegionSize}\" height=\"{RegionSize}\"><image width=\"{RegionSize}\" height=\"{RegionSize}\" href=\"data:image/png;base64,{Convert.ToBase64String(PngEncoder.Encode(image))}\"/></svg>\n");
        return (svg, RegionSize, RegionSize);
    }

    /// <summary>Places standalone SVG documents side by side in one, and writes it atomically.</summary>
    private static void WriteComposite(string path, IReadOnlyList<(string Svg, int Width, int Height)> parts)
    {
        if (parts.Count == 1 && parts[0].Width == 0) { WriteAtomically(path, parts[0].Svg); return; }
        int width = parts.Sum(p => p.Width), height = parts.Max(p => p.Height);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
        int x = 0;
        foreach (var (part, partWidth, _) in parts)
        {
            // Each part is an <svg> element; giving it an x offset nests it in place.
            int start = part.IndexOf("<svg", StringComparison.Ordinal);
            svg.Append(Invariant($"<svg x=\"{x}\" y=\"0\"")).Append(part, start + 4, part.Length - start - 4);
            x += partWidth;
        }
        svg.Append("</svg>\n");
        WriteAtomically(path, svg.ToString());
    }

    /// <summary>No half-written pictures: write beside the target, then move into place.</summary>
    private static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private static Rgb? ColorOf(Series s) => s.Color is null ? null : Rgb.FromHex(s.Color);

    private static LineStyle LineStyleOf(Series s) => s.Style == SeriesStyle.DashedLine ? LineStyle.Dashed : LineStyle.Solid;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
