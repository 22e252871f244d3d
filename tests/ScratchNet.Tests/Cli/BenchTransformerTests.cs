using System.Text.Json;

namespace ScratchNet.Tests.Cli;

/// <summary><c>bench transformer</c>: a tiny run and its one-line errors.</summary>
public class BenchTransformerTests
{
    [Fact]
    public void ATinyRunReportsBothTimings()
    {
        string output = CliRunner.Ok("bench", "transformer", "--batch-size", "2", "--steps", "5", "--width", "6", "--heads", "3",
            "--layers", "2", "--vocabulary", "7", "--repetitions", "2", "--threads", "1", "--json");
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(5, root.GetProperty("steps").GetInt32());
        Assert.Equal(3, root.GetProperty("heads").GetInt32());
        Assert.Equal(2, root.GetProperty("block_seconds").GetArrayLength());
        Assert.True(root.GetProperty("block_median_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("step_median_seconds").GetDouble() > 0);
    }

    [Theory]
    [InlineData(new[] { "--width", "10", "--heads", "4" }, "--width 10 is not a multiple of --heads 4")]
    [InlineData(new[] { "--batch-size", "4096", "--steps", "4096" }, "(Limits.MaxBatchActivations)")]
    [InlineData(new[] { "--steps", "0" }, "--steps must be between 1 and 4096")]
    public void BadSizesAreOneLineUsageErrors(string[] options, string expected)
    {
        var (code, output, error) = CliRunner.Run(["bench", "transformer", .. options]);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
