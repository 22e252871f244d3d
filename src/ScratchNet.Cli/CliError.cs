namespace ScratchNet.Cli;

/// <summary>An error the CLI reports as one line with a given exit code.</summary>
public sealed class CliError(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
