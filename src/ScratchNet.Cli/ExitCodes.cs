namespace ScratchNet.Cli;

/// <summary>The exit codes of scratchnet, documented in docs/CLI.md.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;
    /// <summary>A wrong command, option or value: the line printed says which, and how to see usage.</summary>
    public const int Usage = 1;
    /// <summary>Bad input: a missing, malformed or hostile data or model file.</summary>
    public const int InputError = 2;
    /// <summary>Training diverged (the loss became NaN or infinite).</summary>
    public const int Diverged = 3;
    /// <summary>A check failed: a gradient check, a dataset hash, a benchmark's own verification.</summary>
    public const int CheckFailed = 4;
    /// <summary>Interrupted by Ctrl+C or SIGTERM, after saving a checkpoint.</summary>
    public const int Interrupted = 130;
    /// <summary>A bug in ScratchNet: the message asks for a report.</summary>
    public const int InternalError = 70;
}
