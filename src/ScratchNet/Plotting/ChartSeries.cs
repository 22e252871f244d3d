namespace ScratchNet.Plotting;

/// <summary>One named data series of a chart: points, or a line y = intercept + slope x.</summary>
internal sealed record ChartSeries(string Name, double[] Xs, double[] Ys, LineStyle Style, Rgb Color, bool IsLine,
                                   bool IsPoints, double Intercept = 0, double Slope = 0, bool IsFunctionLine = false)
{
    public static string? DashArray(LineStyle style) => style switch
    {
        LineStyle.Dashed => "6 4",
        LineStyle.Dotted => "2 3",
        LineStyle.DashDot => "8 3 2 3",
        _ => null,
    };

    public static (double[] Xs, double[] Ys) Check(string name, IEnumerable<double> xs, IEnumerable<double> ys)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        double[] x = [.. xs], y = [.. ys];
        if (x.Length != y.Length)
            throw new ArgumentException($"Series '{name}' has {x.Length} x values but {y.Length} y values; they must match.", nameof(ys));
        return (x, y);
    }
}
