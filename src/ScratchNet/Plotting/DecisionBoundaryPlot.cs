using ScratchNet.Tensors;

namespace ScratchNet.Plotting;

/// <summary>
/// The decision regions of a 2-D classifier with the data on top, as a raster picture (PNG, or a GIF
/// frame). The classifier is called once per picture with every pixel centre of the plot area as a row
/// of a (pixels x 2) matrix, and returns either a class per row (<see cref="RenderClasses"/>) or the
/// probability of class 1 per row (<see cref="RenderProbabilities"/>).
/// <code>
/// var plot = new DecisionBoundaryPlot(points, classes) { XLabel = "x1", YLabel = "x2" };
/// plot.RenderProbabilities(grid => model.PredictProbability(grid), "epoch 200").SavePng("xor.png");
/// </code>
/// </summary>
public sealed class DecisionBoundaryPlot
{
    private readonly float[,] _points;
    private readonly int[] _classes;
    private RasterAxes? _axes;

    /// <summary>Width of the picture in pixels.</summary>
    public int Width { get; set; } = 400;

    /// <summary>Height of the picture in pixels.</summary>
    public int Height { get; set; } = 400;

    /// <summary>The plotted data range; by default the data's bounding box widened by 10 % on each side.</summary>
    public (double XMin, double XMax, double YMin, double YMax) Range { get; set; }

    /// <summary>Label of the horizontal axis.</summary>
    public string? XLabel { get; set; }

    /// <summary>Label of the vertical axis.</summary>
    public string? YLabel { get; set; }

    /// <summary>Radius of the data points in pixels.</summary>
    public double PointRadius { get; set; } = 4;

    /// <summary>Evaluate the classifier every <c>GridStep</c> pixels and repeat the result (faster, blockier). Default 1.</summary>
    public int GridStep { get; set; } = 1;

    /// <summary>Number of shades between "unsure" (white) and "certain" (full tint) in <see cref="RenderProbabilities"/>.</summary>
    public int ProbabilityLevels { get; set; } = 8;

    /// <summary>Number of classes (the largest class index + 1, at least 2).</summary>
    public int ClassCount { get; }

    /// <summary>Creates the plot for <paramref name="points"/> (n x 2) with their classes (n values in 0..classes-1).</summary>
    public DecisionBoundaryPlot(float[,] points, int[] classes)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(classes);
        if (points.GetLength(1) != 2)
            throw new ArgumentException($"Points must be an (n x 2) matrix, got ({points.GetLength(0)} x {points.GetLength(1)}).", nameof(points));
        if (classes.Length != points.GetLength(0))
            throw new ArgumentException($"Got {points.GetLength(0)} points but {classes.Length} classes; one class per point.", nameof(classes));
        for (int i = 0; i < classes.Length; i++)
            if (classes[i] < 0) throw new ArgumentException($"Class of point {i} is {classes[i]}; classes must be 0 or more.", nameof(classes));
        _points = (float[,])points.Clone();
        _classes = (int[])classes.Clone();
        ClassCount = Math.Max(2, classes.Length == 0 ? 0 : classes.Max() + 1);
        Range = DefaultRange(_points);
    }

    /// <summary>Creates the plot from a features tensor (n x 2) and class indices stored as floats (n), as datasets hold them.</summary>
    public DecisionBoundaryPlot(Tensor features, Tensor classes) : this(ToMatrix(features), ToClasses(classes)) { }

    /// <summary>Renders the regions of <paramref name="classify"/> (one class index per grid row).</summary>
    public RgbImage RenderClasses(Func<float[,], int[]> classify, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(classify);
        var (axes, grid, columns, rows) = Grid();
        int[] predicted = classify(grid);
        CheckLength(predicted.Length, grid.GetLength(0));
        var image = new RgbImage(Width, Height);
        Paint(image, axes, columns, rows, i => Palette.ClassRegion(predicted[i]), (i, j) => predicted[i] != predicted[j]);
        DrawPoints(image, axes);
        axes.DrawFrame(image, caption);
        return image;
    }

    /// <summary>
    /// Renders the probability of class 1 (one value in [0, 1] per grid row): confident regions take the
    /// class tint, uncertain ones fade to white, and the p = 0.5 contour is drawn dark.
    /// </summary>
    public RgbImage RenderProbabilities(Func<float[,], float[]> probabilityOfClass1, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(probabilityOfClass1);
        var (axes, grid, columns, rows) = Grid();
        float[] p = probabilityOfClass1(grid);
        CheckLength(p.Length, grid.GetLength(0));
        var image = new RgbImage(Width, Height);
        Rgb c0 = Palette.Class(0).Lighten(0.55), c1 = Palette.Class(1).Lighten(0.55);
        // Confidence |2p - 1| in ProbabilityLevels steps, like filled contours: easier to read than a
        // smooth ramp, and the flat bands keep PNG and GIF files small.
        int levels = Math.Max(1, ProbabilityLevels);
        double Band(float v) => Math.Ceiling(Math.Clamp(Math.Abs(2.0 * v - 1), 0, 1) * levels - 1e-9) / levels;
        Paint(image, axes, columns, rows,
              i => Rgb.Lerp(Rgb.White, p[i] < 0.5f ? c0 : c1, Band(p[i])),
              (i, j) => (p[i] >= 0.5f) != (p[j] >= 0.5f));
        DrawPoints(image, axes);
        axes.DrawFrame(image, caption);
        return image;
    }

    private (RasterAxes Axes, float[,] Grid, int Columns, int Rows) Grid()
    {
        if (GridStep < 1) throw new InvalidOperationException($"GridStep must be at least 1, got {GridStep}.");
        var (x0, x1, y0, y1) = Range;
        if (!(x1 > x0) || !(y1 > y0)) throw new InvalidOperationException($"The plot range x [{x0}, {x1}], y [{y0}, {y1}] is empty.");
        if (_axes is null || _axes.XMin != x0 || _axes.XMax != x1 || _axes.YMin != y0 || _axes.YMax != y1 || _axes.XLabel != XLabel || _axes.YLabel != YLabel
            || _axes.Left + _axes.PlotWidth + 12 != Width)
            _axes = new RasterAxes(Width, Height, x0, x1, y0, y1, XLabel, YLabel);
        var axes = _axes;
        int columns = (axes.PlotWidth + GridStep - 1) / GridStep, rows = (axes.PlotHeight + GridStep - 1) / GridStep;
        var grid = new float[columns * rows, 2];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double px = Math.Min(c * GridStep + (GridStep - 1) / 2.0, axes.PlotWidth - 1);
                double py = Math.Min(r * GridStep + (GridStep - 1) / 2.0, axes.PlotHeight - 1);
                grid[r * columns + c, 0] = (float)(x0 + (px + 0.5) / axes.PlotWidth * (x1 - x0));
                grid[r * columns + c, 1] = (float)(y1 - (py + 0.5) / axes.PlotHeight * (y1 - y0));
            }
        return (axes, grid, columns, rows);
    }

    /// <summary>Fills the plot area cell by cell; where a cell differs from its right or lower neighbour the boundary is darkened.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Paint(RgbImage image, RasterAxes axes, int columns, int rows, Func<int, Rgb> color, Func<int, int, bool> differs)
    {
        var boundary = Rgb.FromHex("#3a3a3a");
        for (int py = 0; py < axes.PlotHeight; py++)
            for (int px = 0; px < axes.PlotWidth; px++)
            {
                int c = px / GridStep, r = py / GridStep, i = r * columns + c;
                Rgb rgb = color(i);
                bool edge = (px % GridStep == GridStep - 1 && c + 1 < columns && differs(i, i + 1))
                         || (py % GridStep == GridStep - 1 && r + 1 < rows && differs(i, i + columns));
                image.SetPixel(axes.Left + px, axes.Top + py, edge ? Rgb.Lerp(rgb, boundary, 0.55) : rgb);
            }
    }

    private void DrawPoints(RgbImage image, RasterAxes axes)
    {
        for (int i = 0; i < _classes.Length; i++)
            image.DrawMarker(axes.PX(_points[i, 0]), axes.PY(_points[i, 1]), PointRadius, Palette.Class(_classes[i]), Rgb.White, 1.2);
    }

    private static void CheckLength(int got, int expected)
    {
        if (got != expected)
            throw new InvalidOperationException($"The classifier returned {got} values for {expected} grid points; it must return one per row.");
    }

    private static (double, double, double, double) DefaultRange(float[,] points)
    {
        int n = points.GetLength(0);
        if (n == 0) return (-1, 1, -1, 1);
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = double.MaxValue, y1 = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            x0 = Math.Min(x0, points[i, 0]); x1 = Math.Max(x1, points[i, 0]);
            y0 = Math.Min(y0, points[i, 1]); y1 = Math.Max(y1, points[i, 1]);
        }
        double px = Math.Max((x1 - x0) * 0.1, 1e-3), py = Math.Max((y1 - y0) * 0.1, 1e-3);
        return (x0 - px, x1 + px, y0 - py, y1 + py);
    }

    private static float[,] ToMatrix(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2 || features.Dim(1) != 2)
            throw new ArgumentException($"Features must have shape (n, 2), got ({string.Join(", ", features.Shape.ToArray())}).", nameof(features));
        var m = new float[features.Dim(0), 2];
        for (int i = 0; i < m.GetLength(0); i++) { m[i, 0] = features[i, 0]; m[i, 1] = features[i, 1]; }
        return m;
    }

    private static int[] ToClasses(Tensor classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var span = classes.Span;
        var result = new int[span.Length];
        for (int i = 0; i < span.Length; i++) result[i] = (int)MathF.Round(span[i]);
        return result;
    }
}
