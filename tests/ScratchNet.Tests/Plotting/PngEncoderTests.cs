using ScratchNet.Plotting;

namespace ScratchNet.Tests.Plotting;

public class PngEncoderTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xCBF43926u, PngTestDecoder.BitwiseCrc32("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Theory]
    [InlineData(PngColorType.Grayscale, 1, 1)]
    [InlineData(PngColorType.Rgb, 7, 3)]
    [InlineData(PngColorType.Rgba, 33, 17)]
    [InlineData(PngColorType.Rgb, 257, 5)]
    public void Round_trip_gives_the_same_pixels(PngColorType type, int width, int height)
    {
        int channels = type switch { PngColorType.Grayscale => 1, PngColorType.Rgb => 3, _ => 4 };
        var pixels = new byte[width * height * channels];
        var rng = new ScratchNet.Rng(42);
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i % 5 == 0 ? rng.NextInt(256) : (i * 7 + i / (width * channels)) & 0xFF); // smooth and noisy parts: every filter gets used

        var decoded = PngTestDecoder.Decode(PngEncoder.Encode(pixels, width, height, type));

        Assert.Equal((width, height, (int)type), (decoded.Width, decoded.Height, decoded.ColorType));
        Assert.Equal(pixels, decoded.Pixels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], decoded.ChunkTypes);
    }

    [Fact]
    public void RgbImage_round_trips_through_png()
    {
        var image = new RgbImage(40, 30, Rgb.FromHex("#fafafa"));
        image.FillRect(3, 4, 10, 8, Palette.Series(0));
        image.FillCircle(25, 15, 7.5, Palette.Series(1));
        image.DrawLine(0, 29, 39, 0, Palette.Series(2), 2);
        image.DrawText(2, 20, "ep 1", Rgb.Black);

        var decoded = PngTestDecoder.Decode(image.ToPng());

        Assert.Equal(3, decoded.ColorType); // few colours: written as a palette image
        Assert.Equal(["IHDR", "PLTE", "IDAT", "IEND"], decoded.ChunkTypes);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Images_with_more_than_256_colours_are_written_as_rgb()
    {
        var image = new RgbImage(40, 40);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 40; x++)
                image.SetPixel(x, y, new Rgb((byte)(x * 6), (byte)(y * 6), (byte)(x + y)));

        var decoded = PngTestDecoder.Decode(image.ToPng());

        Assert.Equal(2, decoded.ColorType);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Paeth_predictor_follows_the_specification()
    {
        for (int a = 0; a < 256; a += 17)
            for (int b = 0; b < 256; b += 13)
                for (int c = 0; c < 256; c += 11)
                {
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    int expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    Assert.Equal(expected, PngEncoder.Paeth(a, b, c));
                }
    }

    [Fact]
    public void Wrong_pixel_count_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 2, 2, PngColorType.Rgb));
        Assert.Contains("needs 12 bytes, got 10", e.Message);
    }

    [Fact]
    public void Save_writes_atomically_and_leaves_no_temporary_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), "scratchnet-png-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId);
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "a.png");
            var image = new RgbImage(3, 2, Rgb.FromHex("#123456"));
            image.SavePng(path);
            image.SavePng(path); // overwrite
            Assert.Equal(image.Pixels, PngTestDecoder.Decode(File.ReadAllBytes(path)).Pixels);
            Assert.Equal(["a.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, true); }
    }
}
