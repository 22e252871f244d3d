using ScratchNet.Cli;

namespace ScratchNet.Tests.Cli;

/// <summary>Runs scratchnet in-process with captured output.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Asserts that the run succeeded and returns stdout.</summary>
    public static string Ok(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.True(code == 0, $"scratchnet {string.Join(' ', args)} exited {code}: {error}\n{output}");
        return output;
    }
}
