using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Cli;

/// <summary>`scratchnet generate`: what it refuses (the sampling itself: TextGeneratorTests).</summary>
public class GenerateCommandTests
{
    [Fact]
    public void AModelThatIsNotALanguageModelIsOneLine()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--no-plots", "--out", dir.Path);
        var (code, _, err) = CliRunner.Run("generate", "--model", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("not a language model (its file has no character vocabulary)", err);
        Assert.Single(err.Trim().Split('\n'));
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
}
