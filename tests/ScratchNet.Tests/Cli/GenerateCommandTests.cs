using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Cli;

/// <summary>`scratchnet generate`: what it refuses (the sampling itself: TextGeneratorTests).</summary>
public class GenerateCommandTests
{
    [Fact]
    public void AModelThatIsNotGenerativeIsOneLine()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--no-plots", "--out", dir.Path);
        var (code, _, err) = CliRunner.Run("generate", "--model", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("not a generative model (its file has neither a character vocabulary nor a generator)", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void ALanguageModelsReportShowsTenSampledNames()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "names-bigram", "--epochs", "1", "--limit-train", "3000", "--plain", "--out", dir.Path);
        string report = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        int at = report.IndexOf("Samples (temperature 1, seed 1", StringComparison.Ordinal);
        Assert.True(at >= 0, "no samples in the report");
        var names = System.Text.RegularExpressions.Regex.Match(report[at..], "<pre>(.*?)</pre>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value.Trim().Split('\n');
        Assert.Equal(10, names.Length);
        Assert.All(names, n => Assert.Matches("^[a-z]*$", n));
    }

    [Fact]
    public void ANamesModelGeneratesTheSameNamesForTheSameSeed()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "names-bigram", "--epochs", "1", "--limit-train", "3000", "--no-plots", "--out", dir.Path);
        string first = CliRunner.Ok("generate", "--model", dir.Path, "--count", "5", "--seed", "4");
        Assert.Equal(first, CliRunner.Ok("generate", "--model", dir.Path, "--count", "5", "--seed", "4"));
        var names = first.Trim().Split('\n');
        Assert.Equal(5, names.Length);
        Assert.All(names, n => Assert.Matches("^[a-z]*$", n.Trim()));
        Assert.All(CliRunner.Ok("generate", "--model", dir.Path, "--prompt", "ma", "--count", "3").Trim().Split('\n'), n => Assert.StartsWith("ma", n));

        // evaluate measures the same held-out names the run was tested on.
        using var eval = System.Text.Json.JsonDocument.Parse(CliRunner.Ok("evaluate", "--model", dir.Path, "--json"));
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "metrics.json")));
        Assert.Equal(1000, eval.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(metrics.RootElement.GetProperty("test_loss").EnumerateArray().Last().GetDouble(), eval.RootElement.GetProperty("loss").GetDouble(), 6);

        var (code, _, err) = CliRunner.Run("generate", "--model", dir.Path, "--prompt", "Max");
        Assert.Equal(2, code);
        Assert.Contains("--prompt: the character 'M' (U+004D) at position 1 is not in the model's vocabulary of 26 characters", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void ATextFileTrainsALanguageModelAndAnEmptyOneIsOneLine()
    {
        using var dir = new TempFolder();
        string story = dir.File("story.txt");
        File.WriteAllText(story, string.Concat(Enumerable.Repeat("the cat sat on the mat and the dog sat on the log; ", 40)));
        string run = dir.File("run");
        string output = CliRunner.Ok("train", "--dataset", story, "--epochs", "1", "--steps-per-epoch", "5", "--no-plots", "--plain", "--out", run);
        Assert.Contains("transformer", output);
        Assert.StartsWith("the cat", CliRunner.Ok("generate", "--model", run, "--prompt", "the cat", "--tokens", "20"));

        string empty = dir.File("empty.txt");
        File.WriteAllText(empty, "");
        var (code, _, err) = CliRunner.Run("train", "--dataset", empty, "--no-plots", "--out", dir.File("nothing"));
        Assert.Equal(2, code);
        Assert.Contains("empty.txt: is empty", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("nothing")));
    }

    [Theory]
    [InlineData("--temperature", "0")]
    [InlineData("--temperature", "-1")]
    [InlineData("--top-k", "0")]
    [InlineData("--tokens", "0")]
    [InlineData("--count", "0")]
    public void ImpossibleOptionsAreUsageErrors(string option, string value)
    {
        var (code, _, err) = CliRunner.Run("generate", "--model", "nowhere.safetensors", option, value);
        Assert.Equal(1, code);
        Assert.Contains(option, err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void AVariationalAutoencodersReportShowsReconstructionsSamplesTheirGifAndItsLatentPlane()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "mnist-vae-2d", "--epochs", "2", "--limit-train", "500", "--limit-test", "100", "--plain", "--out", dir.Path);
        string report = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        foreach (var file in new[] { "reconstructions.png", "samples.png", "samples.gif", "latent-grid.png", "latent-scatter.svg" })
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, file)), file);
            Assert.Contains(file, report);
        }
    }

    [Fact]
    public void AVariationalAutoencoderDrawsTheSameGridForTheSameSeedAndEvaluatesItsOwnLoss()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "mnist-vae", "--epochs", "1", "--limit-train", "1000", "--limit-test", "200", "--no-plots", "--out", dir.Path);
        string a = dir.File("a.png"), b = dir.File("b.png"), c = dir.File("c.png");
        Assert.Contains("wrote", CliRunner.Ok("generate", "--model", dir.Path, "--count", "10", "--seed", "3", "--out", a));
        CliRunner.Ok("generate", "--model", dir.Path, "--count", "10", "--seed", "3", "--out", b);
        CliRunner.Ok("generate", "--model", dir.Path, "--count", "10", "--seed", "4", "--out", c);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));

        // evaluate: the reconstruction plus the KL term per image, as the run measured its test set.
        using var eval = System.Text.Json.JsonDocument.Parse(CliRunner.Ok("evaluate", "--model", dir.Path, "--limit", "200", "--json"));
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "metrics.json")));
        Assert.Equal(metrics.RootElement.GetProperty("test_loss").EnumerateArray().Last().GetDouble(), eval.RootElement.GetProperty("loss").GetDouble(), 3);

        foreach (var (args, code, message) in new (string[], int, string)[]
        {
            (["--count", "0"], 1, "--count must be between 1 and 10000"),
            (["--prompt", "a"], 1, "--prompt: applies to language models"),
            (["--out", dir.File("grid.gif")], 1, "does not end in .png"),
        })
        {
            var (exit, _, err) = CliRunner.Run(["generate", "--model", dir.Path, .. args]);
            Assert.Equal(code, exit);
            Assert.Contains(message, err);
            Assert.Single(err.Trim().Split('\n'));
        }
    }

    [Fact]
    public void APlainAutoencoderIsNotAGeneratorInOneLine()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "mnist-autoencoder", "--epochs", "1", "--limit-train", "300", "--limit-test", "100", "--no-plots", "--out", dir.Path);
        var (code, _, err) = CliRunner.Run("generate", "--model", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("its decoder has no prior to draw codes from (a plain autoencoder)", err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
