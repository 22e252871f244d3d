using ScratchNet.Plotting;

namespace ScratchNet.Tests.Plotting;

public class GifEncoderTests
{
    private static RgbImage Frame(int width, int height, int epoch)
    {
        var image = new RgbImage(width, height, Rgb.White);
        image.FillRect(0, 0, width / 2, height, Palette.ClassRegion(0));
        image.FillCircle(width * 0.5 + epoch * 3, height * 0.5, 6, Palette.Class(1));
        image.DrawText(2, 2, "epoch " + epoch, Rgb.Black);
        return image;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void Lzw_round_trips_for_every_code_size(int minCodeSize)
    {
        var rng = new ScratchNet.Rng(7);
        foreach (int n in new[] { 0, 1, 7, 33, 257, 70_000 })
        {
            var indices = new byte[n];
            int colors = 1 << minCodeSize;
            for (int i = 0; i < n; i++)
                indices[i] = (byte)(i % 3 == 0 ? rng.NextInt(colors) : (i / 50) % colors); // runs and noise: the table fills and is cleared
            byte[] coded = GifLzw.Encode(indices, minCodeSize);
            Assert.Equal(indices, GifTestDecoder.LzwDecode(coded, minCodeSize, n));
        }
    }

    [Fact]
    public void Few_colours_use_a_global_palette_and_decode_exactly()
    {
        var frames = Enumerable.Range(0, 4).Select(e => Frame(61, 37, e)).ToList();

        var gif = GifTestDecoder.Decode(GifEncoder.Encode(frames, [5, 6, 7, 150], loopCount: 0));

        Assert.Equal((61, 37, 0), (gif.Width, gif.Height, gif.LoopCount));
        Assert.True(gif.GlobalPalette);
        Assert.Equal(4, gif.Frames.Count);
        Assert.Equal([5, 6, 7, 150], gif.Frames.Select(f => f.DelayCentiseconds));
        for (int f = 0; f < frames.Count; f++)
            Assert.Equal(frames[f].Pixels, gif.Frames[f].Rgb);
    }

    [Fact]
    public void Many_colours_get_per_frame_palettes_close_to_the_original()
    {
        var a = new RgbImage(64, 64);
        var b = new RgbImage(64, 64);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
            {
                a.SetPixel(x, y, ColorMap.Viridis.Map((x + y) / 126.0).Lighten(x / 200.0)); // > 256 colours
                b.SetPixel(x, y, ColorMap.Diverging.Map(x / 63.0));
            }

        var gif = GifTestDecoder.Decode(new AnimatedGifBuilder { DelayCentiseconds = 20, PerFramePalettes = true }.AddFrame(a).AddFrame(b).ToGif());

        Assert.False(gif.GlobalPalette);
        Assert.All(gif.Frames, f => Assert.True(f.LocalPalette));
        int maxError = 0;
        for (int i = 0; i < a.Pixels.Length; i++) maxError = Math.Max(maxError, Math.Abs(a.Pixels[i] - gif.Frames[0].Rgb[i]));
        Assert.InRange(maxError, 0, 24);
        Assert.Equal(b.Pixels, gif.Frames[1].Rgb); // 64 colours: exact
        Assert.Equal([20, 120], gif.Frames.Select(f => f.DelayCentiseconds)); // last frame held longer
    }

    [Fact]
    public void Many_colours_share_one_quantised_global_palette_by_default()
    {
        var a = new RgbImage(64, 64);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                a.SetPixel(x, y, ColorMap.Viridis.Map((x + y) / 126.0).Lighten(x / 200.0));
        var b = a.Clone();
        b.FillRect(10, 10, 5, 5, Rgb.Black);

        var gif = GifTestDecoder.Decode(GifEncoder.Encode([a, b]));

        Assert.True(gif.GlobalPalette);
        int maxError = 0;
        for (int i = 0; i < a.Pixels.Length; i++) maxError = Math.Max(maxError, Math.Abs(b.Pixels[i] - gif.Frames[1].Rgb[i]));
        Assert.InRange(maxError, 0, 24);
        Assert.Equal(Rgb.Black, new Rgb(gif.Frames[1].Rgb[3 * (12 * 64 + 12)], gif.Frames[1].Rgb[3 * (12 * 64 + 12) + 1], gif.Frames[1].Rgb[3 * (12 * 64 + 12) + 2]));
    }

    [Fact]
    public void Frames_of_different_sizes_are_rejected_with_a_clear_message()
    {
        var builder = new AnimatedGifBuilder().AddFrame(new RgbImage(10, 10));
        var e = Assert.Throws<ArgumentException>(() => builder.AddFrame(new RgbImage(11, 10)));
        Assert.Contains("11 x 10", e.Message);
        Assert.Throws<InvalidOperationException>(() => new AnimatedGifBuilder().ToGif());
    }

    [Fact]
    public void Output_is_deterministic()
    {
        var frames = Enumerable.Range(0, 3).Select(e => Frame(40, 30, e)).ToList();
        Assert.Equal(GifEncoder.Encode(frames), GifEncoder.Encode(frames));
    }
}
