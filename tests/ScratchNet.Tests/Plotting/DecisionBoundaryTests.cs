using ScratchNet.Plotting;

namespace ScratchNet.Tests.Plotting;

public class DecisionBoundaryTests
{
    private static readonly float[,] Xor = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly int[] XorClasses = [0, 1, 1, 0];

    private static int[] XorRule(float[,] grid)
    {
        var result = new int[grid.GetLength(0)];
        for (int i = 0; i < result.Length; i++) result[i] = (grid[i, 0] > 0.5f) != (grid[i, 1] > 0.5f) ? 1 : 0;
        return result;
    }

    [Fact]
    public void The_classifier_sees_every_pixel_centre_inside_the_range()
    {
        var plot = new DecisionBoundaryPlot(Xor, XorClasses) { Width = 200, Height = 180 };
        int calls = 0, rows = 0;
        plot.RenderClasses(grid =>
        {
            calls++;
            rows = grid.GetLength(0);
            for (int i = 0; i < rows; i++)
            {
                Assert.InRange(grid[i, 0], plot.Range.XMin, plot.Range.XMax);
                Assert.InRange(grid[i, 1], plot.Range.YMin, plot.Range.YMax);
            }
            return new int[rows];
        });
        Assert.Equal(1, calls);
        Assert.True(rows > 100 * 100, $"only {rows} grid points");
    }

    [Fact]
    public void Regions_take_the_class_tint()
    {
        var plot = new DecisionBoundaryPlot(Xor, XorClasses) { Width = 240, Height = 240, Range = (-0.5, 1.5, -0.5, 1.5), PointRadius = 2 };
        var image = plot.RenderClasses(XorRule, "epoch 1");
        // Sample away from points and boundaries: data (0.25, 0.75) is class 1, (0.25, 0.25) is class 0.
        var (x1, y1) = Pixel(image, plot, 0.25, 0.75);
        var (x0, y0) = Pixel(image, plot, 0.25, 0.25);
        Assert.Equal(Palette.ClassRegion(1), image[x1, y1]);
        Assert.Equal(Palette.ClassRegion(0), image[x0, y0]);
    }

    [Fact]
    public void Probabilities_fade_to_white_at_one_half()
    {
        var plot = new DecisionBoundaryPlot(Xor, XorClasses) { Width = 240, Height = 240, Range = (-0.5, 1.5, -0.5, 1.5), PointRadius = 1 };
        var image = plot.RenderProbabilities(grid => Enumerable.Range(0, grid.GetLength(0)).Select(i => grid[i, 0] < 0 ? 0.5f : grid[i, 0] > 1 ? 1f : 0f).ToArray());
        var (xw, yw) = Pixel(image, plot, -0.3, 0.5);
        var (xc, yc) = Pixel(image, plot, 1.3, 0.5);
        Assert.Equal(Rgb.White, image[xw, yw]);
        Assert.NotEqual(Rgb.White, image[xc, yc]);
    }

    [Fact]
    public void Wrong_classifier_output_length_is_a_clear_error()
    {
        var plot = new DecisionBoundaryPlot(Xor, XorClasses);
        var e = Assert.Throws<InvalidOperationException>(() => plot.RenderClasses(_ => new int[3]));
        Assert.Contains("returned 3 values", e.Message);
        Assert.Throws<ArgumentException>(() => new DecisionBoundaryPlot(Xor, [0, 1]));
    }

    [Fact]
    public void Animation_captures_every_kth_epoch_and_the_last_one_and_decodes()
    {
        var animation = new DecisionBoundaryAnimation(new DecisionBoundaryPlot(Xor, XorClasses) { Width = 160, Height = 160, GridStep = 2 }) { Every = 5 };
        int evaluated = 0;
        for (int epoch = 1; epoch <= 12; epoch++)
            animation.AddEpochClasses(epoch, g => { evaluated++; return XorRule(g); }, 0.5 / epoch, last: epoch == 12);
        Assert.Equal(3, evaluated); // epochs 5, 10, 12
        Assert.Equal(3, animation.Gif.FrameCount);
        var gif = GifTestDecoder.Decode(animation.Gif.ToGif());
        Assert.Equal(3, gif.Frames.Count);
        Assert.Equal(0, gif.LoopCount);
    }

    [Fact]
    public void Fitted_line_animation_frames_decode_to_the_rendered_pixels()
    {
        var animation = new FittedLineAnimation([1.0, 2, 3, 4], [2.0, 4.1, 5.9, 8.2]) { Width = 200, Height = 150, Every = 2 };
        for (int epoch = 1; epoch <= 4; epoch++) animation.AddEpoch(epoch, 0, epoch * 0.5, 1.0 / epoch);
        var expected = animation.RenderFrame(0, 2.0, DecisionBoundaryAnimation.Caption(4, 0.25));
        var gif = GifTestDecoder.Decode(animation.Gif.ToGif());
        Assert.Equal(2, gif.Frames.Count);
        // The frames share one palette quantised over the whole animation: colours may move a little.
        int maxError = 0;
        for (int i = 0; i < expected.Pixels.Length; i++) maxError = Math.Max(maxError, Math.Abs(expected.Pixels[i] - gif.Frames[1].Rgb[i]));
        Assert.InRange(maxError, 0, 24);
    }

    private static (int X, int Y) Pixel(RgbImage image, DecisionBoundaryPlot plot, double x, double y)
    {
        // Recompute the plot-area mapping the way the picture does: find the plot rectangle by its frame colour is fragile,
        // so use the known layout through a second render with an all-class-1 classifier and locate the tinted area.
        var probe = plot.RenderClasses(g => Enumerable.Repeat(1, g.GetLength(0)).ToArray());
        int left = int.MaxValue, right = -1, top = int.MaxValue, bottom = -1;
        for (int py = 0; py < probe.Height; py++)
            for (int px = 0; px < probe.Width; px++)
                if (probe[px, py] == Palette.ClassRegion(1))
                {
                    left = Math.Min(left, px); right = Math.Max(right, px);
                    top = Math.Min(top, py); bottom = Math.Max(bottom, py);
                }
        var (x0, x1, y0, y1) = plot.Range;
        int ix = left + (int)((x - x0) / (x1 - x0) * (right - left + 1));
        int iy = top + (int)((y1 - y) / (y1 - y0) * (bottom - top + 1));
        Assert.InRange(ix, 0, image.Width - 1);
        return (ix, iy);
    }
}
