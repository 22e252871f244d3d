using System.Text.Json;

namespace ScratchNet.Tests.Cli;

/// <summary><c>bench memory</c>: a tiny run prints one line per stream, and a bad option is a one-line usage error.</summary>
public class BenchMemoryTests
{
    [Fact]
    public void ATinyRunPrintsTheThreeStreams()
    {
        var lines = CliRunner.Ok("bench", "memory", "--mib", "1", "--repetitions", "1", "--threads", "1", "--json")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var streams = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var r = doc.RootElement;
            Assert.Equal(1 << 20, r.GetProperty("bytes").GetInt64());
            Assert.Equal(1, r.GetProperty("threads").GetInt32());
            Assert.True(r.GetProperty("gbps").GetDouble() > 0);
            return r.GetProperty("stream").GetString();
        });
        Assert.Equal(["read", "write", "read-modify-write"], streams);
    }

    [Theory]
    [InlineData("--mib", "0", "--mib: 0 is not between 1 and 2048")]
    [InlineData("--mib", "4096", "--mib: 4096 is not between 1 and 2048")]
    [InlineData("--threads", "0", "--threads must be between 1 and 1024")]
    [InlineData("--repetitions", "0", "--repetitions must be between 1 and 10000")]
    public void BadOptionIsAOneLineUsageError(string option, string value, string expected)
    {
        var (code, output, error) = CliRunner.Run("bench", "memory", option, value);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
