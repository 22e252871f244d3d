namespace ScratchNet.Plotting;

/// <summary>
/// An animated GIF of a straight-line fit being learned: the data as points and, in each frame, the
/// current line y = intercept + slope x with the epoch (and loss) as caption. The axes stay fixed over
/// the whole animation (the data range), so only the line moves.
/// <code>
/// var animation = new FittedLineAnimation(tv, sales) { XLabel = "TV", YLabel = "sales", Every = 5 };
/// for (int epoch = 1; epoch &lt;= 100; epoch++) { ...; animation.AddEpoch(epoch, a, b, loss, last: epoch == 100); }
/// animation.Save("runs/tv/fit.gif");
/// </code>
/// </summary>
public sealed class FittedLineAnimation
{
    private readonly double[] _xs, _ys;
    private RasterAxes? _axes;
    private RgbImage? _background;

    /// <summary>The frames collected so far; its delays can be changed before saving.</summary>
    public AnimatedGifBuilder Gif { get; } = new();

    /// <summary>Width of the frames in pixels.</summary>
    public int Width { get; set; } = 480;

    /// <summary>Height of the frames in pixels.</summary>
    public int Height { get; set; } = 360;

    /// <summary>Label of the horizontal axis.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label of the vertical axis.</summary>
    public string? YLabel { get; set; }

    /// <summary>Only every n-th epoch becomes a frame (and the one marked last).</summary>
    public int Every { get; set; } = 1;

    /// <summary>Creates the animation for the points (xs[i], ys[i]).</summary>
    public FittedLineAnimation(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        (_xs, _ys) = ChartSeries.Check("data", xs, ys);
        if (_xs.Length == 0) throw new ArgumentException("The animation needs at least one data point.", nameof(xs));
    }

    /// <summary>Creates the animation for float data.</summary>
    public FittedLineAnimation(IEnumerable<float> xs, IEnumerable<float> ys)
        : this(xs.Select(v => (double)v), ys.Select(v => (double)v)) { }

    /// <summary>
    /// Adds the frame of this epoch when <c>epoch % Every == 0</c> or <paramref name="last"/>; returns
    /// whether a frame was added.
    /// </summary>
    public bool AddEpoch(int epoch, double intercept, double slope, double? loss = null, bool last = false)
    {
        if (Every < 1) throw new InvalidOperationException($"Every must be at least 1, got {Every}.");
        if (epoch % Every != 0 && !last) return false;
        Gif.AddFrame(RenderFrame(intercept, slope, DecisionBoundaryAnimation.Caption(epoch, loss)));
        return true;
    }

    /// <summary>One frame: the points and the line y = intercept + slope x.</summary>
    public RgbImage RenderFrame(double intercept, double slope, string? caption = null)
    {
        var axes = Axes();
        _background ??= Background(axes);
        var image = _background.Clone();
        double x0 = axes.XMin, x1 = axes.XMax;
        image.DrawLine(axes.PX(x0), axes.PY(intercept + slope * x0), axes.PX(x1), axes.PY(intercept + slope * x1), Palette.Series(1), 2.5);
        axes.DrawFrame(image, caption);
        return image;
    }

    /// <summary>Writes the GIF atomically.</summary>
    public void Save(string path) => Gif.Save(path);

    private RasterAxes Axes()
    {
        if (_axes is not null && _axes.Left + _axes.PlotWidth + 12 == Width && _axes.XLabel == XLabel && _axes.YLabel == YLabel) return _axes;
        double x0 = _xs.Min(), x1 = _xs.Max(), y0 = _ys.Min(), y1 = _ys.Max();
        double px = Math.Max((x1 - x0) * 0.05, 1e-6), py = Math.Max((y1 - y0) * 0.08, 1e-6);
        _axes = new RasterAxes(Width, Height, x0 - px, x1 + px, y0 - py, y1 + py, XLabel, YLabel);
        _background = null;
        return _axes;
    }

    private RgbImage Background(RasterAxes axes)
    {
        var image = new RgbImage(Width, Height);
        axes.DrawGrid(image);
        Rgb fill = Palette.Series(0).Lighten(0.25);
        for (int i = 0; i < _xs.Length; i++)
            image.DrawMarker(axes.PX(_xs[i]), axes.PY(_ys[i]), 3.5, fill, Rgb.White, 1);
        return image;
    }
}
