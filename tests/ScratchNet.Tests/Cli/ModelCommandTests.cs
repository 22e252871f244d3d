using System.Text.Json;
using ScratchNet.Cli.Input;
using ScratchNet.Plotting;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Cli;

/// <summary>evaluate, predict, inspect, gradcheck, datasets and lesson on small models.</summary>
public class ModelCommandTests
{
    [Fact]
    public void EvaluateInspectAndPredictATrainedModel()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "tv-marketing", "--no-plots", "--out", dir.Path);
        string model = dir.File("model.safetensors");

        using var eval = JsonDocument.Parse(CliRunner.Ok("evaluate", "--model", model, "--json"));
        Assert.Equal(200, eval.RootElement.GetProperty("samples").GetInt32());

        using var inspect = JsonDocument.Parse(CliRunner.Ok("inspect", model, "--json"));
        Assert.Equal(2, inspect.RootElement.GetProperty("parameters").GetInt32());
        Assert.Equal("Dense", inspect.RootElement.GetProperty("layers")[0].GetProperty("type").GetString());

        // Ordinary least squares: Sales = 7.0326 + 0.047537 TV, so TV = 100 gives 11.786.
        File.WriteAllText(dir.File("in.csv"), "TV\n100\n0\n");
        using var predict = JsonDocument.Parse(CliRunner.Ok("predict", "--model", model, "--input", dir.File("in.csv"), "--json"));
        var values = predict.RootElement.GetProperty("predictions");
        Assert.Equal(11.786, values[0].GetProperty("values")[0].GetDouble(), 2);
        Assert.Equal(7.0326, values[1].GetProperty("values")[0].GetDouble(), 2);
    }

    [Fact]
    public void EvaluateAClassifierPrintsTheConfusionMatrix()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--no-plots", "--out", dir.Path);
        string text = CliRunner.Ok("evaluate", "--model", dir.Path);
        Assert.Contains("accuracy", text);
        Assert.Contains("precision", text);
        using var doc = JsonDocument.Parse(CliRunner.Ok("evaluate", "--model", dir.Path, "--json"));
        Assert.Equal(2, doc.RootElement.GetProperty("confusion_matrix").GetArrayLength());
    }

    [Fact]
    public void PredictReadsPngAndPgmDigits()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "mnist-mlp", "--limit-train", "2000", "--limit-test", "100", "--epochs", "2", "--no-plots", "--out", dir.Path);
        var test = new ScratchNet.Data.DatasetManager().Load("mnist").Test;
        var digit = ((ScratchNet.Data.ImageDataset)test).Pixels(0).ToArray();
        // A 56x56 PNG, dark on white (a drawing on paper), and the 28x28 PGM as MNIST stores it.
        var image = new RgbImage(56, 56);
        for (int y = 0; y < 56; y++)
            for (int x = 0; x < 56; x++) { byte v = (byte)(255 - digit[(y / 2) * 28 + x / 2]); image.SetPixel(x, y, new Rgb(v, v, v)); }
        File.WriteAllBytes(dir.File("digit.png"), PngEncoder.Encode(image));
        File.WriteAllBytes(dir.File("digit.pgm"), [.. "P5\n28 28\n255\n"u8.ToArray(), .. digit]);
        foreach (var file in new[] { "digit.png", "digit.pgm" })
        {
            using var doc = JsonDocument.Parse(CliRunner.Ok("predict", "--model", dir.Path, "--input", dir.File(file), "--json"));
            var p = doc.RootElement.GetProperty("predictions")[0];
            Assert.Equal(7, p.GetProperty("class").GetInt32());
            Assert.Equal(10, p.GetProperty("probabilities").EnumerateObject().Count());
        }
    }

    [Fact]
    public void GrayImageReadsWhatPngEncoderWrites()
    {
        using var dir = new TempFolder();
        var image = new RgbImage(13, 7);
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 13; x++) image.SetPixel(x, y, new Rgb((byte)(x * 19), (byte)(y * 31), (byte)((x * y * 7) % 256)));
        File.WriteAllBytes(dir.File("test.png"), PngEncoder.Encode(image));
        var gray = GrayImage.Read(dir.File("test.png"));
        Assert.Equal("PNG", gray.Format);
        Assert.Equal(13, gray.Width);
        Assert.Equal(7, gray.Height);
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 13; x++)
            {
                var c = image[x, y];
                double luma = (0.299 * c.R + 0.587 * c.G + 0.114 * c.B) / 255;
                Assert.Equal(luma, gray.Pixels[y * 13 + x], 4);
            }
    }

    [Theory]
    [InlineData("png")]
    [InlineData("bmp")]
    [InlineData("tiff")]
    [InlineData("webp")]
    public void LosslessFormatsDecodeToTheLuminanceExactly(string extension)
    {
        using var dir = new TempFolder();
        using var ring = TestImages.Ring(13, 7);
        string path = dir.File("ring." + extension);
        File.WriteAllBytes(path, TestImages.Encode(ring, TestImages.Encoders.Single(e => e.Extension == extension).Encoder));
        var gray = GrayImage.Read(path);
        Assert.Equal((13, 7), (gray.Width, gray.Height));
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 13; x++)
            {
                var c = ring[x, y];
                Assert.Equal(ScratchNet.Data.DigitImage.Luminance(c.R / 255f, c.G / 255f, c.B / 255f, 1), gray.Pixels[y * 13 + x]);
            }
    }

    [Fact]
    public void PgmImagesAreReadAndCentredLikeMnist()
    {
        var header = "P2\n# a 4x2 test\n4 2\n255\n"u8.ToArray();
        var ascii = PgmReader.Decode([.. header, .. "0 255 0 255\n255 0 255 0\n"u8.ToArray()], "t.pgm");
        Assert.Equal([0f, 1f, 0f, 1f, 1f, 0f, 1f, 0f], ascii.Pixels);
        var digit = ScratchNet.Data.DigitImage.Prepare(ascii.Pixels, ascii.Width, ascii.Height)!;
        Assert.Equal(784, digit.Pixels.Length);
        Assert.False(digit.Inverted);
        var binary = PgmReader.Decode([.. "P5 2 1 255\n"u8.ToArray(), 0, 255], "t.pgm");
        Assert.Equal([0f, 1f], binary.Pixels);
        Assert.Throws<InvalidDataException>(() => PgmReader.Decode("P5 2 1 255\n"u8.ToArray(), "short.pgm"));
    }

    [Fact]
    public void GradcheckPassesOnAPresetAndSaysSoInJson()
    {
        using var doc = JsonDocument.Parse(CliRunner.Ok("gradcheck", "xor", "--json"));
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
        var (code, _, _) = CliRunner.Run("gradcheck", "xor", "--tolerance", "1e-12");
        Assert.Equal(4, code);
    }

    [Fact]
    public void DatasetsAndLessonsAreListed()
    {
        Assert.Contains("spirals", CliRunner.Ok("datasets", "list"));
        using var doc = JsonDocument.Parse(CliRunner.Ok("datasets", "info", "mnist", "--json"));
        Assert.Equal(10, doc.RootElement.GetProperty("class_names").GetArrayLength());
        Assert.Contains("1. A single neuron", CliRunner.Ok("lesson", "list"));
        var (code, _, err) = CliRunner.Run("lesson", "run", "99");
        Assert.Equal(1, code);
        Assert.Contains("unknown lesson 99", err);
    }
}
