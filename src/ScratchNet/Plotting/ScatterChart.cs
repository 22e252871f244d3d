namespace ScratchNet.Plotting;

/// <summary>
/// Points, optionally with fitted lines y = a + b x drawn across the whole plot, e.g. the TV
/// advertising data with its least-squares line:
/// <code>
/// new ScatterChart { Title = "Sales vs TV", XLabel = "TV budget", YLabel = "sales" }
///     .AddPoints("data", tv, sales)
///     .AddLine("fit: y = 7.03 + 0.0475 x", 7.0326, 0.047537)
///     .SaveSvg("runs/tv/fit.svg");
/// </code>
/// </summary>
public sealed class ScatterChart : Chart
{
    /// <summary>Radius of the point markers in pixels.</summary>
    public double MarkerRadius { get; set; } = 4;

    /// <summary>Opacity of the point fill (overlapping points stay visible).</summary>
    public double MarkerOpacity { get; set; } = 0.75;

    private protected override double XPadding => 0.05;

    /// <summary>Adds a set of points.</summary>
    public ScatterChart AddPoints(string name, IEnumerable<double> xs, IEnumerable<double> ys, Rgb? color = null)
    {
        var (x, y) = ChartSeries.Check(name, xs, ys);
        Series.Add(new ChartSeries(name, x, y, LineStyle.Solid, NextColor(color), IsLine: false, IsPoints: true));
        return this;
    }

    /// <summary>Adds a set of float points.</summary>
    public ScatterChart AddPoints(string name, IEnumerable<float> xs, IEnumerable<float> ys, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        return AddPoints(name, xs.Select(v => (double)v), ys.Select(v => (double)v), color);
    }

    /// <summary>Adds the straight line y = <paramref name="intercept"/> + <paramref name="slope"/> x across the plot (it does not widen the axes).</summary>
    public ScatterChart AddLine(string name, double intercept, double slope, LineStyle style = LineStyle.Solid, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!double.IsFinite(intercept) || !double.IsFinite(slope))
            throw new ArgumentException($"Line '{name}' has a non-finite coefficient (intercept {intercept}, slope {slope}).");
        Series.Add(new ChartSeries(name, [], [], style, NextColor(color), IsLine: true, IsPoints: false, intercept, slope, IsFunctionLine: true));
        return this;
    }

    /// <summary>Adds a polyline through the given points (e.g. a fitted curve), drawn over the points.</summary>
    public ScatterChart AddCurve(string name, IEnumerable<double> xs, IEnumerable<double> ys, LineStyle style = LineStyle.Solid, Rgb? color = null)
    {
        var (x, y) = ChartSeries.Check(name, xs, ys);
        Series.Add(new ChartSeries(name, x, y, style, NextColor(color), IsLine: true, IsPoints: false));
        return this;
    }

    private protected override void DrawData(SvgBuilder svg, ChartScale scale)
    {
        foreach (var s in Series.Where(s => s.IsPoints))
        {
            // One group carries the shared style, so each point costs only its position.
            svg.Raw($"<g fill=\"{s.Color.ToHex()}\" fill-opacity=\"{SvgBuilder.F(MarkerOpacity)}\" stroke=\"#ffffff\" stroke-width=\"0.75\">\n");
            string r = SvgBuilder.F(MarkerRadius);
            for (int i = 0; i < s.Xs.Length; i++)
                if (scale.IsDrawable(s.Xs[i], s.Ys[i]))
                    svg.Raw($"<circle cx=\"{SvgBuilder.F(scale.X(s.Xs[i]))}\" cy=\"{SvgBuilder.F(scale.Y(s.Ys[i]))}\" r=\"{r}\"/>\n");
            svg.Raw("</g>\n");
        }
        foreach (var s in Series.Where(s => s.IsLine))
        {
            string color = s.Color.ToHex();
            string? dash = ChartSeries.DashArray(s.Style);
            if (s.IsFunctionLine)
            {
                // Sample the line densely so that it also bends correctly on a log y axis.
                int n = scale.LogY ? 200 : 1;
                var xs = new double[n + 1];
                var ys = new double[n + 1];
                for (int k = 0; k <= n; k++)
                {
                    xs[k] = scale.XMin + (scale.XMax - scale.XMin) * k / n;
                    ys[k] = s.Intercept + s.Slope * xs[k];
                }
                svg.Path(PolylinePath(scale, xs, ys), color, 2.5, dash);
            }
            else
            {
                svg.Path(PolylinePath(scale, s.Xs, s.Ys), color, 2.5, dash);
            }
        }
    }
}
