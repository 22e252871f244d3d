namespace ScratchNet.Plotting;

/// <summary>Maps data coordinates to SVG pixels inside the plot area (y grows downwards in SVG).</summary>
internal sealed class ChartScale(double left, double top, double width, double height,
                                 double xMin, double xMax, double yMin, double yMax, bool logY)
{
    public double Left { get; } = left;
    public double Top { get; } = top;
    public double Width { get; } = width;
    public double Height { get; } = height;
    public double XMin { get; } = xMin;
    public double XMax { get; } = xMax;
    public double YMin { get; } = yMin;
    public double YMax { get; } = yMax;
    public bool LogY { get; } = logY;

    public double X(double x) => Left + (x - XMin) / (XMax - XMin) * Width;

    public double Y(double y)
    {
        double t = LogY ? (Math.Log10(y) - Math.Log10(YMin)) / (Math.Log10(YMax) - Math.Log10(YMin)) : (y - YMin) / (YMax - YMin);
        return Top + (1 - t) * Height;
    }

    /// <summary>True when (x, y) can be drawn: finite, and positive on a log axis.</summary>
    public bool IsDrawable(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!LogY || y > 0);
}
