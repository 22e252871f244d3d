using System.Xml.Linq;
using ScratchNet.Plotting;

namespace ScratchNet.Tests.Plotting;

public class ChartTests
{
    private static readonly double[] Epochs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    private static readonly double[] Train = [2.1, 1.4, 0.95, 0.7, 0.52, 0.41, 0.33, 0.28, 0.25, 0.23];
    private static readonly double[] Validation = [2.2, 1.6, 1.15, 0.92, 0.8, 0.74, 0.71, 0.7, 0.71, 0.73];

    internal static LineChart LossChart() => new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "loss" }
        .AddSeries("train", Epochs, Train)
        .AddSeries("validation", Epochs, Validation, LineStyle.Dashed);

    internal static ScatterChart TvChart() => new ScatterChart { Title = "Sales vs TV", XLabel = "TV budget", YLabel = "sales", Width = 480, Height = 320 }
        .AddPoints("data", [17.2, 44.5, 120.2, 151.5, 180.8, 199.8, 230.1, 281.4], [9.3, 10.4, 13.2, 16.5, 12.9, 14.7, 22.1, 24.4])
        .AddLine("y = 7.0326 + 0.047537 x", 7.0326, 0.047537);

    [Fact]
    public void Line_chart_matches_snapshot() => Snapshot.Match("line-chart.svg", LossChart().ToSvg());

    [Fact]
    public void Log_scale_line_chart_matches_snapshot()
    {
        var chart = new LineChart { Title = "Loss (log scale)", XLabel = "epoch", YLabel = "loss", LogY = true, ShowMarkers = true, Width = 520, Height = 340 }
            .AddSeries("train", Epochs, Train.Select(v => v / 20))
            .AddSeries("validation", Epochs, Validation.Select(v => v / 20), LineStyle.Dotted);
        Snapshot.Match("line-chart-log.svg", chart.ToSvg());
    }

    [Fact]
    public void Scatter_with_fitted_line_matches_snapshot() => Snapshot.Match("scatter-fit.svg", TvChart().ToSvg());

    [Fact]
    public void Confusion_matrix_matches_snapshot()
    {
        var plot = ConfusionMatrixPlot.FromPredictions([0, 0, 0, 1, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 1, 2, 2, 2, 2, 0], ["cat", "dog", "bird"]);
        Assert.Equal(0.7, plot.Accuracy, 12);
        Assert.Equal(2, plot[0, 0]);
        Snapshot.Match("confusion-matrix.svg", plot.ToSvg());
    }

    [Fact]
    public void Labelled_image_grid_matches_snapshot()
    {
        var images = new float[4 * 16];
        for (int i = 0; i < images.Length; i++) images[i] = (i * 37 % 11) / 10f;
        string svg = ImageGrid.LabelledSvg(images, 4, 4, 4, [1, 2, 0, 3], [1, 2, 3, 3], ["zero", "one", "two", "three"], columns: 2, pixelScale: 4, title: "Predictions");
        Assert.Contains("data:image/png;base64,", svg);
        Assert.Contains("true three", svg);
        // The tiles must decode to the images' grey levels; the snapshot leaves the compressed bytes out,
        // since they depend on the zlib build rather than on our code.
        var uris = System.Text.RegularExpressions.Regex.Matches(svg, "data:image/png;base64,([A-Za-z0-9+/=]+)");
        Assert.Equal(4, uris.Count);
        var first = PngTestDecoder.Decode(Convert.FromBase64String(uris[0].Groups[1].Value));
        Assert.Equal((16, 16), (first.Width, first.Height));
        var expectedTile = ImageGrid.Tiles(images.AsSpan(0, 16), 1, 4, 4, 1, ColorMap.GrayInverted, TileScaling.MinMaxPerTile, 4, 0);
        Assert.Equal(expectedTile.Pixels, first.Pixels);
        Snapshot.Match("labelled-grid.svg", System.Text.RegularExpressions.Regex.Replace(svg, "base64,[A-Za-z0-9+/=]+", "base64,..."));
    }

    [Fact]
    public void Charts_are_well_formed_xml_and_deterministic()
    {
        foreach (string svg in new[] { LossChart().ToSvg(), TvChart().ToSvg(), new ConfusionMatrixPlot(new int[2, 2] { { 3, 1 }, { 0, 4 } }).ToSvg() })
        {
            var root = XElement.Parse(svg);
            Assert.Equal("svg", root.Name.LocalName);
            Assert.DoesNotContain(" id=", svg);
            Assert.DoesNotContain(Path.GetTempPath(), svg);
        }
        Assert.Equal(LossChart().ToSvg(), LossChart().ToSvg());
    }

    [Fact]
    public void Series_get_distinct_colours_and_the_legend_names_them()
    {
        string svg = LossChart().ToSvg();
        Assert.Contains(Palette.Series(0).ToHex(), svg);
        Assert.Contains(Palette.Series(1).ToHex(), svg);
        Assert.Contains(">train</text>", svg);
        Assert.Contains(">validation</text>", svg);
        Assert.Contains("stroke-dasharray=\"6 4\"", svg);
    }

    [Fact]
    public void Non_finite_values_break_the_line_and_non_positive_values_are_skipped_on_a_log_axis()
    {
        var chart = new LineChart().AddSeries("s", [1.0, 2, 3, 4, 5], [1.0, 2, double.NaN, 4, 5]);
        var path = XElement.Parse(chart.ToSvg()).Descendants().First(e => e.Name.LocalName == "path").Attribute("d")!.Value;
        Assert.Equal(2, path.Count(c => c == 'M'));
        Assert.DoesNotContain("NaN", chart.ToSvg());

        var log = new LineChart { LogY = true }.AddSeries("s", [1.0, 2, 3], [0.0, 0.1, 1]);
        Assert.DoesNotContain("Infinity", log.ToSvg());
    }

    [Fact]
    public void Whole_number_x_values_get_whole_number_ticks()
    {
        string svg = new LineChart().AddSeries("loss", [0.9, 0.5, 0.4]).ToSvg(); // epochs 1, 2, 3
        var labels = XElement.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text" && (string?)e.Attribute("text-anchor") == "middle").Select(e => e.Value).ToList();
        Assert.Equal(["1", "2", "3"], labels);
    }

    [Fact]
    public void A_single_point_is_still_visible()
    {
        string svg = new LineChart().AddSeries("one epoch", [0.7]).ToSvg();
        Assert.Single(XElement.Parse(svg).Descendants(), e => e.Name.LocalName == "circle");
    }

    [Fact]
    public void Mismatched_lengths_are_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => new LineChart().AddSeries("train", [1.0, 2], [1.0]));
        Assert.Contains("'train' has 2 x values but 1 y values", e.Message);
    }

    [Fact]
    public void Text_is_escaped()
    {
        string svg = new LineChart { Title = "a < b & \"c\"" }.AddSeries("x<y", [1.0, 2], [1.0, 2]).ToSvg();
        Assert.Contains("a &lt; b &amp; &quot;c&quot;", svg);
        XElement.Parse(svg);
    }

    [Theory]
    [InlineData(0, 1, 6, 0.2)]
    [InlineData(0, 10, 6, 2)]
    [InlineData(-3.7, 3.7, 8, 1)]
    [InlineData(0.23, 2.2, 6, 0.5)]
    [InlineData(0, 300, 7, 50)]
    [InlineData(1000, 1001, 5, 0.5)]
    public void Tick_steps_are_1_2_5_times_a_power_of_ten(double min, double max, int maxCount, double expected)
    {
        Assert.Equal(expected, AxisTicks.NiceStep(min, max, maxCount), 12);
        var ticks = AxisTicks.Linear(min, max, maxCount, out _);
        Assert.InRange(ticks.Count, 2, maxCount);
        Assert.All(ticks, t => Assert.InRange(t, min - 1e-9, max + 1e-9));
    }

    [Fact]
    public void Tick_labels_use_just_enough_decimals_and_the_invariant_culture()
    {
        Assert.Equal("0.2", AxisTicks.Format(0.2, 0.2));
        Assert.Equal("1.0", AxisTicks.Format(1, 0.5));
        Assert.Equal("150", AxisTicks.Format(150, 50));
        Assert.Equal("0.05", AxisTicks.Format(0.05, 0.05));
        Assert.Equal("0", AxisTicks.Format(0, 0.1));
        Assert.Equal("2e+6", AxisTicks.Format(2e6, 1e6));
        Assert.Equal(["0.01", "0.1", "1", "10"], AxisTicks.Log(0.005, 20, out var minor).Select(AxisTicks.FormatLog));
        Assert.Contains(0.02, minor);
    }
}
