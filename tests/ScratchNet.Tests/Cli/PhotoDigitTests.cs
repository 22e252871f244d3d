using System.Diagnostics;
using System.Text.Json;
using ScratchNet.Cli.Input;
using ScratchNet.Data;
using ScratchNet.Tests.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Cli;

/// <summary>
/// MNIST test digits drawn as a photo would show them: 9 times larger, off-centre, dark blue ink on
/// cream paper that darkens towards one side, with paper grain, saved as a JPEG. Prepared by
/// DigitImage, each must look like the MNIST original again, and a small MLP trained on MNIST in the
/// test (mnist-mlp on 6,000 digits, 2 epochs) must read every photo whose original it reads (test
/// digit 8, a 5 that small models take for a 6 or a 0, is the one it may miss).
/// </summary>
public class PhotoDigitTests(ITestOutputHelper output)
{
    private const int Digits = 10;

    /// <summary>
    /// The 28 x 28 MNIST digit (light on dark, 0 to 255) as a 480 x 320 RGB photo: scaled 9 times
    /// (bilinear), its top-left at (<paramref name="left"/>, <paramref name="top"/>), ink (25, 35, 95)
    /// on paper (236, 232, 220) dimmed by up to 8% from left to right, grain of +-6 levels.
    /// </summary>
    public static Image<Rgb24> Photo(byte[] digit, int left, int top, ulong seed)
    {
        const int width = 480, height = 320, scale = 9;
        var rng = new Rng(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double ink = Bilinear(digit, (x - left + 0.5) / scale - 0.5, (y - top + 0.5) / scale - 0.5) / 255;
                double light = 1 - 0.08 * x / width, grain = rng.NextDouble() * 12 - 6;
                byte Channel(double paper, double pen) => (byte)Math.Clamp(Math.Round((paper * (1 - ink) + pen * ink) * light + grain), 0, 255);
                image[x, y] = new Rgb24(Channel(236, 25), Channel(232, 35), Channel(220, 95));
            }
        return image;
    }

    private static double Bilinear(byte[] digit, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        double At(int px, int py) => px is >= 0 and < 28 && py is >= 0 and < 28 ? digit[py * 28 + px] : 0;
        return (At(x0, y0) * (1 - fx) + At(x0 + 1, y0) * fx) * (1 - fy) + (At(x0, y0 + 1) * (1 - fx) + At(x0 + 1, y0 + 1) * fx) * fy;
    }

    /// <summary>The image moved by (dx, dy) pixels, zeros coming in.</summary>
    private static float[] Shift(float[] a, int dx, int dy)
    {
        var r = new float[784];
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) if (x - dx is >= 0 and < 28 && y - dy is >= 0 and < 28) r[y * 28 + x] = a[(y - dy) * 28 + x - dx];
        return r;
    }

    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<byte> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length;
        mb /= a.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return sab / Math.Sqrt(saa * sbb);
    }

    [Fact]
    public void APhotoOfADigitIsPreparedAsMnistAndPredictedCorrectly()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempFolder();
        CliRunner.Ok("train", "mnist-mlp", "--limit-train", "6000", "--limit-test", "100", "--epochs", "2", "--no-plots", "--out", dir.Path);
        output.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s");
        var test = (ImageDataset)new DatasetManager().Load("mnist").Test;
        int correct = 0, originalsCorrect = 0;
        for (int i = 0; i < Digits; i++)
        {
            var digit = test.Pixels(i).ToArray();
            string path = dir.File($"photo-{i}.jpg");
            using (var photo = Photo(digit, 20 + 21 * i, 10 + 5 * i, (ulong)i + 1)) photo.SaveAsJpeg(path, new JpegEncoder { Quality = 80 });

            var grey = GrayImage.Read(path);
            Assert.Equal(("JPEG", 480, 320), (grey.Format, grey.Width, grey.Height));
            var prepared = DigitImage.Prepare(grey.Pixels, grey.Width, grey.Height)!;
            Assert.True(prepared.Inverted);
            // MNIST placed each digit at a whole-pixel offset too, rounding its own way: compare at the best offset of at most one pixel.
            double r = (from dy in new[] { -1, 0, 1 } from dx in new[] { -1, 0, 1 } select Correlation(Shift(prepared.Pixels, dx, dy), digit)).Max();
            var (cx, cy) = DigitImage.CentreOfMass(prepared.Pixels, 28, 28);

            string original = dir.File($"mnist-{i}.pgm");
            File.WriteAllBytes(original, [.. "P5\n28 28\n255\n"u8.ToArray(), .. digit]);
            int predicted = Predict(dir.Path, path), fromOriginal = Predict(dir.Path, original);
            if (predicted == test.Label(i)) correct++;
            if (fromOriginal == test.Label(i)) originalsCorrect++;
            output.WriteLine($"digit {i}: label {test.Label(i)}, predicted {predicted} (from the MNIST original {fromOriginal}), correlation with the MNIST original (best offset) {r:F3}, centre of mass ({cx:F2}, {cy:F2}), box {prepared.BoundingBox}");
            Assert.True(r > 0.9, $"digit {i}: the prepared photo correlates {r:F3} with the MNIST original");
            Assert.True(predicted == test.Label(i) || fromOriginal != test.Label(i), $"digit {i}: the photo is read as {predicted}, its MNIST original as {test.Label(i)}");
            Assert.InRange(cx, 13.99, 15.01);
            Assert.InRange(cy, 13.99, 15.01);
        }
        output.WriteLine($"{correct} of {Digits} photos predicted correctly, {originalsCorrect} of their MNIST originals; {clock.Elapsed.TotalSeconds:F1} s in all");
        Assert.True(correct >= Digits - 1, $"{correct} of {Digits} photos predicted correctly");
    }

    private static int Predict(string model, string image)
    {
        using var doc = JsonDocument.Parse(CliRunner.Ok("predict", "--model", model, "--input", image, "--json"));
        return doc.RootElement.GetProperty("predictions")[0].GetProperty("class").GetInt32();
    }
}
