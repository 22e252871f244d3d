using System.Text.Json;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Cli;

/// <summary>`scratchnet train`: each kind of run writes its model, metrics, pictures and report.</summary>
public class TrainCommandTests
{
    private static readonly string[] MetricsKeys =
    [
        "dataset", "model", "parameters", "epochs", "batch_size", "optimizer", "seed", "threads", "epoch_seconds",
        "train_loss", "test_loss", "test_accuracy", "final_test_accuracy", "peak_working_set_bytes",
    ];

    private static void AssertReportReferences(string dir, params string[] pictures)
    {
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        foreach (var p in pictures)
        {
            Assert.True(File.Exists(Path.Combine(dir, p)), $"{p} was not written");
            Assert.Contains($"({p})", html);
        }
        Assert.DoesNotContain(dir, html);
    }

    private static JsonElement Metrics(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        var root = doc.RootElement.Clone();
        foreach (var key in MetricsKeys) Assert.True(root.TryGetProperty(key, out _), $"metrics.json lacks '{key}'");
        return root;
    }

    [Fact]
    public void TvMarketingDrawsTheFittedLineAndItsAnimation()
    {
        using var dir = new TempFolder();
        string output = CliRunner.Ok("train", "tv-marketing", "--epochs", "30", "--out", dir.Path, "--plain");
        Assert.Contains("intercept", output);
        AssertReportReferences(dir.Path, "loss.svg", "fit.svg", "fit-animation.gif");
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(dir.File("fit-animation.gif")), 0, 6));
        Assert.True(File.Exists(dir.File("model.safetensors")));
        Assert.True(File.Exists(dir.File(Checkpoint.FileName)));
        Assert.Equal(30, Metrics(dir.Path).GetProperty("epochs").GetInt32());
    }

    [Fact]
    public void XorDrawsTheDecisionBoundaryAndItsAnimation()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--epochs", "40", "--out", dir.Path);
        AssertReportReferences(dir.Path, "loss.svg", "accuracy.svg", "confusion-matrix.svg", "decision-boundary.png", "decision-boundary.gif");
        Assert.Equal(0x89, File.ReadAllBytes(dir.File("decision-boundary.png"))[0]);
    }

    [Fact]
    public void ReportSaysWhenTheCommandLineChangedThePresetsRecipe()
    {
        using var changed = new TempFolder();
        using var asIs = new TempFolder();
        CliRunner.Ok("train", "xor", "--epochs", "40", "--out", changed.Path, "--no-plots");
        CliRunner.Ok("train", "xor", "--out", asIs.Path, "--no-plots");
        Assert.Contains("this run changes it from the command line", File.ReadAllText(Path.Combine(changed.Path, "report.html")));
        Assert.DoesNotContain("this run changes it", File.ReadAllText(Path.Combine(asIs.Path, "report.html")));
    }

    [Fact]
    public void SpiralsDrawsTheDecisionBoundaryAndItsAnimation()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "spirals", "--epochs", "3", "--samples", "300", "--out", dir.Path);
        AssertReportReferences(dir.Path, "loss.svg", "accuracy.svg", "confusion-matrix.svg", "decision-boundary.png", "decision-boundary.gif");
        Assert.Equal(3, Metrics(dir.Path).GetProperty("train_loss").GetArrayLength());
    }

    [Fact]
    public void MnistMlpDrawsCurvesConfusionWeightsAndPredictions()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "mnist-mlp", "--limit-train", "2000", "--limit-test", "500", "--epochs", "1", "--out", dir.Path);
        AssertReportReferences(dir.Path, "loss.svg", "accuracy.svg", "confusion-matrix.svg", "weights.png", "predictions.svg");
        var m = Metrics(dir.Path);
        Assert.Equal(2000, m.GetProperty("train_samples").GetInt32());
        Assert.Equal(500, m.GetProperty("test_samples").GetInt32());
        Assert.True(m.GetProperty("final_test_accuracy").GetDouble() > 0.6);
    }

    [Fact]
    public void PicturesAreTheSameBytesOnEveryRunAndHoldNoPathsOrTimes()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        CliRunner.Ok("train", "xor", "--epochs", "5", "--out", a.Path);
        CliRunner.Ok("train", "xor", "--epochs", "5", "--out", b.Path);
        foreach (var svg in new[] { "loss.svg", "accuracy.svg", "confusion-matrix.svg" })
        {
            string text = File.ReadAllText(a.File(svg));
            Assert.Equal(text, File.ReadAllText(b.File(svg)));
            Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), text);
            Assert.DoesNotContain(DateTime.UtcNow.Year.ToString(), text);
        }
        Assert.Equal(File.ReadAllBytes(a.File("decision-boundary.gif")), File.ReadAllBytes(b.File("decision-boundary.gif")));
    }

    [Fact]
    public void JsonPrintsTheFinalMetricsAsOneObject()
    {
        using var dir = new TempFolder();
        string output = CliRunner.Ok("train", "xor", "--epochs", "3", "--out", dir.Path, "--json", "--no-plots");
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("xor", doc.RootElement.GetProperty("preset").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("epochs").GetInt32());
        Assert.True(doc.RootElement.TryGetProperty("final_test_accuracy", out _));
        Assert.False(File.Exists(dir.File("loss.svg")));
        Assert.True(File.Exists(dir.File("report.html")));
    }

    [Fact]
    public void OptionsOverrideThePreset()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "spirals", "--samples", "200", "--epochs", "2", "--layers", "8,8", "--activation", "gelu", "--optimizer", "nesterov",
            "--lr", "0.05", "--schedule", "step", "--step-size", "1", "--gamma", "0.5", "--l2", "1e-4", "--dropout", "0.1",
            "--batch-size", "16", "--validation-split", "0.2", "--early-stopping", "3", "--no-plots", "--out", dir.Path);
        var m = Metrics(dir.Path);
        Assert.Equal("Nesterov", m.GetProperty("optimizer").GetString());
        Assert.Equal(16, m.GetProperty("batch_size").GetInt32());
        Assert.Equal(40, m.GetProperty("validation_samples").GetInt32());
        Assert.Equal("2-8-8-3, GELU, dropout 0.1", m.GetProperty("model").GetString());
        Assert.Equal(0.025, m.GetProperty("learning_rate")[1].GetDouble(), 6);
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWithTheBestWeights()
    {
        using var dir = new TempFolder();
        string output = CliRunner.Ok("train", "moons", "--samples", "200", "--epochs", "60", "--early-stopping", "2", "--no-plots", "--out", dir.Path);
        Assert.Contains("early stopping", output);
        var m = Metrics(dir.Path);
        Assert.True(m.GetProperty("stopped_early").GetBoolean());
        int epochs = m.GetProperty("epochs").GetInt32(), best = m.GetProperty("final_weights_epoch").GetInt32();
        Assert.InRange(epochs, 3, 59);
        Assert.Equal(epochs - 2, best);
        Assert.Equal(20, m.GetProperty("validation_samples").GetInt32()); // the default split, 0.1
    }

    [Fact]
    public void CustomRunOnACsvFile()
    {
        using var dir = new TempFolder();
        string csv = Path.Combine(TempFolder.RepoData, "advertising.csv");
        CliRunner.Ok("train", "--dataset", csv, "--target", "Sales", "--epochs", "3", "--layers", "8", "--out", dir.Path);
        Assert.Equal("regression", ScratchNet.Serialization.ModelFile.Load(dir.File("model.safetensors")).Metadata.Task);
    }
}
