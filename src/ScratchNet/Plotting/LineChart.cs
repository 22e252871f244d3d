namespace ScratchNet.Plotting;

/// <summary>
/// A line chart of one or more series, e.g. training and validation loss per epoch:
/// <code>
/// new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss", LogY = true }
///     .AddSeries("train", epochs, trainLoss)
///     .AddSeries("validation", epochs, validationLoss, LineStyle.Dashed)
///     .SaveSvg("runs/xor/loss.svg");
/// </code>
/// Colours follow <see cref="Palette.Series"/> in the order the series are added.
/// </summary>
public sealed class LineChart : Chart
{
    /// <summary>Draw a small circle at each data point (only when a series has at most 60 points).</summary>
    public bool ShowMarkers { get; set; }

    /// <summary>Stroke width of the lines in pixels.</summary>
    public double LineWidth { get; set; } = 2.25;

    private protected override double XPadding => 0.02;

    /// <summary>Adds a series of points (xs[i], ys[i]) joined in order; non-finite values break the line.</summary>
    public LineChart AddSeries(string name, IEnumerable<double> xs, IEnumerable<double> ys, LineStyle style = LineStyle.Solid, Rgb? color = null)
    {
        var (x, y) = ChartSeries.Check(name, xs, ys);
        Series.Add(new ChartSeries(name, x, y, style, NextColor(color), IsLine: true, IsPoints: false));
        return this;
    }

    /// <summary>Adds a series of float values.</summary>
    public LineChart AddSeries(string name, IEnumerable<float> xs, IEnumerable<float> ys, LineStyle style = LineStyle.Solid, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        return AddSeries(name, xs.Select(v => (double)v), ys.Select(v => (double)v), style, color);
    }

    /// <summary>Adds a series with x = 1, 2, ..., n (e.g. one value per epoch).</summary>
    public LineChart AddSeries(string name, IEnumerable<double> ys, LineStyle style = LineStyle.Solid, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(ys);
        double[] y = [.. ys];
        return AddSeries(name, Enumerable.Range(1, y.Length).Select(i => (double)i), y, style, color);
    }

    /// <summary>Adds a series of floats with x = 1, 2, ..., n.</summary>
    public LineChart AddSeries(string name, IEnumerable<float> ys, LineStyle style = LineStyle.Solid, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(ys);
        return AddSeries(name, ys.Select(v => (double)v), style, color);
    }

    private protected override void DrawData(SvgBuilder svg, ChartScale scale)
    {
        foreach (var s in Series)
        {
            string color = s.Color.ToHex();
            svg.Path(PolylinePath(scale, s.Xs, s.Ys), color, LineWidth, ChartSeries.DashArray(s.Style));
            bool markers = ShowMarkers && s.Xs.Length <= 60;
            for (int i = 0; i < s.Xs.Length; i++)
            {
                if (!scale.IsDrawable(s.Xs[i], s.Ys[i])) continue;
                // A point with no drawable neighbour would be invisible as a path: mark it.
                bool isolated = (i == 0 || !scale.IsDrawable(s.Xs[i - 1], s.Ys[i - 1])) && (i + 1 == s.Xs.Length || !scale.IsDrawable(s.Xs[i + 1], s.Ys[i + 1]));
                if (markers || isolated)
                    svg.Circle(scale.X(s.Xs[i]), scale.Y(s.Ys[i]), 3, color, "#ffffff", 1);
            }
        }
    }
}
