namespace ScratchNet.Tests.Cli;

/// <summary>Wrong commands, options and values: one line on stderr saying what is wrong and how to see usage, and the documented exit code.</summary>
public class CliErrorTests
{
    [Theory]
    [InlineData("unknown option", new[] { "train", "xor", "--bogus" }, "--bogus")]
    [InlineData("unknown preset", new[] { "train", "nope" }, "known presets: tv-marketing, xor")]
    [InlineData("bad number", new[] { "train", "xor", "--epochs", "ten" }, "--epochs must be a whole number, got 'ten'")]
    [InlineData("negative lr", new[] { "train", "xor", "--lr", "-1" }, "--lr must be a positive number, got '-1'")]
    [InlineData("unknown optimizer", new[] { "train", "xor", "--optimizer", "adamax" }, "valid: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw")]
    [InlineData("bad layers", new[] { "train", "xor", "--layers", "0,abc" }, "--layers must be positive whole numbers")]
    [InlineData("bad activation", new[] { "train", "xor", "--activation", "swish" }, "valid: relu, tanh, sigmoid, gelu, elu, leaky-relu")]
    [InlineData("dropout of 1", new[] { "train", "xor", "--dropout", "1" }, "--dropout must be a number below 1")]
    [InlineData("no preset", new[] { "train" }, "name a preset")]
    [InlineData("preset and dataset", new[] { "train", "xor", "--dataset", "moons" }, "either a preset or --dataset")]
    [InlineData("unknown command", new[] { "trian" }, "trian")]
    [InlineData("missing --model", new[] { "evaluate" }, "--model")]
    public void UsageErrorsAreOneLineWithExitCode1(string what, string[] args, string expected)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 1, $"{what}: exit {code}, {error}");
        Assert.Equal("", output);
        var lines = error.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("scratchnet: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Contains("--help' for usage", lines[0]);
    }

    [Theory]
    [InlineData("evaluate", "--model", "/no/such/model.safetensors")]
    [InlineData("predict", "--model", "/no/such/model.safetensors", "--input", "x.csv")]
    [InlineData("inspect", "/no/such/model.safetensors")]
    [InlineData("train", "--dataset", "/no/such/model.safetensors.csv")]
    [InlineData("datasets", "info", "/no/such/model.safetensors")]
    public void AMissingModelFileIsAnInputErrorWithExitCode2(params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("/no/such/model.safetensors", error);
    }

    [Fact]
    public void AGarbageModelFileIsAnInputError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"scratchnet-garbage-{Environment.ProcessId}.safetensors");
        File.WriteAllText(path, "this is not a model");
        try
        {
            var (code, _, error) = CliRunner.Run("inspect", path);
            Assert.Equal(2, code);
            Assert.Single(error.TrimEnd().Split('\n'));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void HelpNamesTheToolAndEveryCommand()
    {
        string help = CliRunner.Ok("--help");
        Assert.Contains("scratchnet", help);
        foreach (var c in new[] { "train", "evaluate", "predict", "inspect", "gradcheck", "datasets", "lesson", "bench" }) Assert.Contains(c, help);
        Assert.Contains("--early-stopping", CliRunner.Ok("train", "--help"));
        Assert.DoesNotContain("--stop-after-batches", CliRunner.Ok("train", "--help"));
    }
}

/// <summary>A diverging run stops with exit code 3 and a one-line message naming where it happened.</summary>
public class CliDivergenceTests
{
    [Fact]
    public void ADivergingRunExitsWith3()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"scratchnet-diverge-{Environment.ProcessId}");
        try
        {
            var (code, _, error) = CliRunner.Run("train", "tv-marketing", "--lr", "100", "--no-plots", "--out", dir);
            Assert.Equal(3, code);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.Contains("diverged", error);
            Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
