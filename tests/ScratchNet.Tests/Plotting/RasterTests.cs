using ScratchNet.Plotting;

namespace ScratchNet.Tests.Plotting;

public class RasterTests
{
    [Fact]
    public void Hex_colours_round_trip()
    {
        var c = Rgb.FromHex("#0072B2");
        Assert.Equal(new Rgb(0x00, 0x72, 0xB2), c);
        Assert.Equal("#0072b2", c.ToHex());
        Assert.Throws<FormatException>(() => Rgb.FromHex("#12345"));
    }

    [Fact]
    public void Colour_maps_hit_their_end_stops()
    {
        Assert.Equal(Rgb.FromHex("#440154"), ColorMap.Viridis.Map(0));
        Assert.Equal(Rgb.FromHex("#fde725"), ColorMap.Viridis.Map(1));
        Assert.Equal(Rgb.FromHex("#f7f7f7"), ColorMap.Diverging.Map(0.0, -1, 1)); // zero is white-ish
        Assert.Equal(ColorMap.Viridis.Map(0), ColorMap.Viridis.Map(double.NaN));
        Assert.Equal(ColorMap.Viridis.Map(1), ColorMap.Viridis.Map(7));
    }

    [Fact]
    public void Discs_are_filled_at_the_centre_and_absent_far_away()
    {
        var image = new RgbImage(20, 20);
        image.FillCircle(10, 10, 4, Rgb.Black);
        Assert.Equal(Rgb.Black, image[10, 10]);
        Assert.Equal(Rgb.White, image[2, 2]);
        Assert.Equal(Rgb.White, image[10, 16]);
        image.FillCircle(-50, -50, 3, Rgb.Black); // clipped, no exception
    }

    [Fact]
    public void Lines_cover_their_path_with_antialiased_edges()
    {
        var image = new RgbImage(30, 30);
        image.DrawLine(2, 15.5, 28, 15.5, Rgb.Black, 1); // through pixel centres: one solid row
        Assert.Equal(Rgb.Black, image[15, 15]);
        Assert.Equal(Rgb.White, image[15, 13]);
        image.DrawLine(2, 10, 28, 10, Rgb.Black, 1); // between two rows: both half covered
        Assert.InRange(image[15, 9].R, 100, 160);
        Assert.InRange(image[15, 10].R, 100, 160);
        Assert.Equal(Rgb.White, image[15, 5]);
        image.DrawLine(0, 0, 29, 29, Rgb.Black, 3);
        Assert.Equal(Rgb.Black, image[20, 20]);
    }

    [Fact]
    public void Bitmap_font_draws_known_glyphs()
    {
        var image = new RgbImage(12, 10);
        image.DrawText(0, 0, "I-", Rgb.Black);
        // 'I': the middle column (x = 2) is ink on rows 0..6, the outer columns only at the top and bottom.
        for (int y = 0; y < 7; y++) Assert.Equal(Rgb.Black, image[2, y]);
        Assert.Equal(Rgb.White, image[1, 3]);
        Assert.Equal(Rgb.Black, image[1, 0]);
        // '-': a bar on row 3 of the second cell.
        Assert.Equal(Rgb.Black, image[6 + 2, 3]);
        Assert.Equal(Rgb.White, image[6 + 2, 1]);
        Assert.Equal(11, RgbImage.MeasureText("ab"));
    }

    [Fact]
    public void Upscale_repeats_pixels()
    {
        var image = new RgbImage(2, 1);
        image[1, 0] = Rgb.Black;
        var big = image.Upscale(3);
        Assert.Equal((6, 3), (big.Width, big.Height));
        Assert.Equal(Rgb.White, big[2, 2]);
        Assert.Equal(Rgb.Black, big[3, 0]);
    }

    [Fact]
    public void Weight_tiles_read_columns_of_an_inputs_by_units_matrix()
    {
        // 4 inputs (2 x 2 tiles), 3 units: unit u has a positive weight only at input u.
        var w = new ScratchNet.Tensors.Tensor(4, 3);
        for (int u = 0; u < 3; u++) w[u, u] = 1f;
        var image = ImageGrid.WeightTiles(w, 2, 2, columns: 3, pixelScale: 1);
        // tiles start at x = 3 + 5 u (gap 3, tile 2), y = 3
        var positive = ColorMap.Diverging.Map(1.0);
        var zero = ColorMap.Diverging.Map(0.5);
        Assert.Equal(positive, image[3, 3]);          // unit 0, input 0 = (0, 0)
        Assert.Equal(positive, image[3 + 5 + 1, 3]);  // unit 1, input 1 = (1, 0)
        Assert.Equal(positive, image[3 + 10, 4]);     // unit 2, input 2 = (0, 1)
        Assert.Equal(zero, image[4, 3]);
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.WeightTiles(new ScratchNet.Tensors.Tensor(5, 3), 2, 2));
        Assert.Contains("2 x 2 = 4", e.Message);
    }
}
