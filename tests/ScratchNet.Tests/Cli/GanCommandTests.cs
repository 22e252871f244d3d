using System.Text.Json;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Cli;

/// <summary>
/// A GAN on the command line: `train mnist-gan` writes the model, samples.png and the GIF of the fixed
/// codes; `generate` draws a PNG grid from it, the same bytes for the same seed; `bench gan-quality`
/// judges the samples with a classifier, refusing files that are not a GAN's in one line.
/// </summary>
public class GanCommandTests
{
    [Fact]
    public void TrainGenerateAndJudgeATinyGan()
    {
        using var dir = new TempFolder();
        string run = dir.File("gan");
        CliRunner.Ok("train", "mnist-gan", "--epochs", "1", "--limit-train", "256", "--limit-test", "100", "--plain", "--no-plots", "--out", run);
        // The recipe comes back from the checkpoint; the second epoch draws the pictures.
        CliRunner.Ok("train", "--resume", run, "--epochs", "2", "--plain");
        foreach (var file in new[] { "model.safetensors", "checkpoint.safetensors", "samples.png", "samples.gif", "report.html" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        Assert.Contains("samples.gif", File.ReadAllText(Path.Combine(run, "report.html")));

        string a = dir.File("a.png"), b = dir.File("b.png"), c = dir.File("c.png");
        Assert.Contains(": 9 images", CliRunner.Ok("generate", "--model", run, "--count", "9", "--seed", "5", "--out", a));
        CliRunner.Ok("generate", "--model", run, "--count", "9", "--seed", "5", "--out", b);
        CliRunner.Ok("generate", "--model", run, "--count", "9", "--seed", "6", "--out", c);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(a).Take(4).ToArray());

        string judge = dir.File("mlp");
        CliRunner.Ok("train", "mnist-mlp", "--epochs", "1", "--limit-train", "500", "--limit-test", "100", "--no-plots", "--out", judge);
        using var q = JsonDocument.Parse(CliRunner.Ok("bench", "gan-quality", "--model", run, "--classifier", judge, "--count", "50", "--json"));
        var root = q.RootElement;
        Assert.Equal(50, root.GetProperty("count").GetInt32());
        Assert.InRange(root.GetProperty("confident").GetInt32(), 0, 50);
        Assert.Equal(10, root.GetProperty("class_shares").EnumerateObject().Count());
        Assert.Equal(1.0, root.GetProperty("class_shares").EnumerateObject().Sum(p => p.Value.GetDouble()), 9);

        var (code, _, err) = CliRunner.Run("bench", "gan-quality", "--model", judge, "--classifier", judge);
        Assert.Equal(2, code);
        Assert.Contains("is not a GAN's model file", err);
        Assert.Single(err.Trim().Split('\n'));

        (code, _, err) = CliRunner.Run("evaluate", "--model", run);
        Assert.Equal(2, code);
        Assert.Contains("a GAN has no loss of its own on held-out images", err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
