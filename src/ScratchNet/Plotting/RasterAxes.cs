namespace ScratchNet.Plotting;

/// <summary>
/// Axes for raster pictures (GIF frames, PNG heat maps): a plot rectangle, 1-2-5 ticks with labels in
/// the bitmap font, an optional caption band on top ("epoch 12   loss 0.031") and axis labels.
/// </summary>
internal sealed class RasterAxes
{
    public static readonly Rgb Ink = Rgb.FromHex("#262626");
    public static readonly Rgb TickInk = Rgb.FromHex("#555555");
    public static readonly Rgb Frame = Rgb.FromHex("#9a9a9a");
    public static readonly Rgb Grid = Rgb.FromHex("#e8e8e8");

    private readonly List<double> _xTicks, _yTicks;
    private readonly double _xStep, _yStep;

    public int Left { get; }
    public int Top { get; }
    public int PlotWidth { get; }
    public int PlotHeight { get; }
    public double XMin { get; }
    public double XMax { get; }
    public double YMin { get; }
    public double YMax { get; }
    public string? XLabel { get; }
    public string? YLabel { get; }

    public RasterAxes(int width, int height, double xMin, double xMax, double yMin, double yMax, string? xLabel = null, string? yLabel = null)
    {
        (XMin, XMax, YMin, YMax, XLabel, YLabel) = (xMin, xMax, yMin, yMax, xLabel, yLabel);
        Top = 30;
        int bottom = 8 + RgbImage.TextHeight() + 6 + (string.IsNullOrEmpty(xLabel) ? 0 : RgbImage.TextHeight() + 6);
        int provisionalHeight = height - Top - bottom;
        _yTicks = AxisTicks.Linear(yMin, yMax, Math.Max(2, provisionalHeight / 40), out _yStep);
        int labelWidth = _yTicks.Count == 0 ? 0 : _yTicks.Max(v => RgbImage.MeasureText(AxisTicks.Format(v, _yStep)));
        Left = 8 + labelWidth + 8 + (string.IsNullOrEmpty(yLabel) ? 0 : RgbImage.TextHeight() + 4);
        PlotWidth = width - Left - 12;
        PlotHeight = provisionalHeight;
        if (PlotWidth < 20 || PlotHeight < 20)
            throw new ArgumentException($"A {width} x {height} picture leaves no room for the plot; make it larger.");
        _xTicks = AxisTicks.Linear(xMin, xMax, Math.Max(2, PlotWidth / 60), out _xStep);
    }

    /// <summary>Pixel column of data x (continuous; pixel centres at integer + 0.5).</summary>
    public double PX(double x) => Left + (x - XMin) / (XMax - XMin) * PlotWidth;

    /// <summary>Pixel row of data y (y grows upwards in data, downwards in the image).</summary>
    public double PY(double y) => Top + (1 - (y - YMin) / (YMax - YMin)) * PlotHeight;

    /// <summary>Data x at the centre of pixel column <paramref name="column"/> of the plot area.</summary>
    public double DataX(int column) => XMin + (column + 0.5) / PlotWidth * (XMax - XMin);

    /// <summary>Data y at the centre of pixel row <paramref name="row"/> of the plot area.</summary>
    public double DataY(int row) => YMax - (row + 0.5) / PlotHeight * (YMax - YMin);

    public void DrawGrid(RgbImage image)
    {
        foreach (double v in _xTicks) image.FillRect((int)Math.Floor(PX(v)), Top, 1, PlotHeight, Grid);
        foreach (double v in _yTicks) image.FillRect(Left, (int)Math.Floor(PY(v)), PlotWidth, 1, Grid);
    }

    /// <summary>Frame, ticks, tick labels, axis labels and the caption. Call after drawing the data.</summary>
    public void DrawFrame(RgbImage image, string? caption)
    {
        // Clear the margins so that data drawn near the edge does not spill out of the plot.
        var white = Rgb.White;
        image.FillRect(0, 0, image.Width, Top, white);
        image.FillRect(0, Top + PlotHeight, image.Width, image.Height - Top - PlotHeight, white);
        image.FillRect(0, 0, Left, image.Height, white);
        image.FillRect(Left + PlotWidth, 0, image.Width - Left - PlotWidth, image.Height, white);

        image.DrawRect(Left - 1, Top - 1, PlotWidth + 2, PlotHeight + 2, Frame);
        int th = RgbImage.TextHeight();
        foreach (double v in _xTicks)
        {
            int x = (int)Math.Floor(PX(v));
            image.FillRect(x, Top + PlotHeight + 1, 1, 3, Frame);
            string label = AxisTicks.Format(v, _xStep);
            image.DrawText(x - RgbImage.MeasureText(label) / 2, Top + PlotHeight + 6, label, TickInk);
        }
        foreach (double v in _yTicks)
        {
            int y = (int)Math.Floor(PY(v));
            image.FillRect(Left - 4, y, 3, 1, Frame);
            string label = AxisTicks.Format(v, _yStep);
            image.DrawText(Left - 7 - RgbImage.MeasureText(label), y - 3, label, TickInk);
        }
        if (!string.IsNullOrEmpty(XLabel))
            image.DrawText(Left + (PlotWidth - RgbImage.MeasureText(XLabel)) / 2, Top + PlotHeight + 6 + th + 4, XLabel, Ink);
        if (!string.IsNullOrEmpty(YLabel))
            DrawVerticalText(image, 6, Top + (PlotHeight + RgbImage.MeasureText(YLabel)) / 2, YLabel, Ink);
        if (!string.IsNullOrEmpty(caption))
        {
            // Large text when it fits above the plot, else from the left edge, else small.
            int scale = RgbImage.MeasureText(caption, 2) <= image.Width - 16 ? 2 : 1;
            int x = Left + RgbImage.MeasureText(caption, scale) <= image.Width - 8 ? Left : 8;
            image.DrawText(x, (Top - RgbImage.TextHeight(scale)) / 2 + 1, caption, Ink, scale);
        }
    }

    /// <summary>Text rotated 90 degrees counter-clockwise (reads bottom to top), starting at (x, yBottom).</summary>
    private static void DrawVerticalText(RgbImage image, int x, int yBottom, string text, Rgb color)
    {
        var strip = new RgbImage(Math.Max(1, RgbImage.MeasureText(text)), RgbImage.TextHeight(), Rgb.White);
        strip.DrawText(0, 0, text, Rgb.Black);
        for (int sy = 0; sy < strip.Height; sy++)
            for (int sx = 0; sx < strip.Width; sx++)
                if (strip[sx, sy].R < 128)
                    image.SetPixel(x + sy, yBottom - sx, color);
    }
}
