namespace ScratchNet.Cli;

/// <summary>Turns an exception into one line and an exit code.</summary>
public static class ErrorReporting
{
    /// <summary>The exit code and the one-line message for <paramref name="ex"/>.</summary>
    public static (int ExitCode, string Message) Describe(Exception ex)
    {
        if (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerExceptions[0];
        if (ex is System.Reflection.TargetInvocationException { InnerException: { } inner }) ex = inner;
        string message = OneLine(ex is ArgumentException { ParamName: { } name } ? ex.Message.Replace($" (Parameter '{name}')", "") : ex.Message);
        return ex switch
        {
            CliError e => (e.ExitCode, message),
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted: " + message),
            TrainingDivergedException => (ExitCodes.Diverged, message),
            InvalidDataException or FormatException or FileNotFoundException or DirectoryNotFoundException
                or IOException or UnauthorizedAccessException => (ExitCodes.InputError, message),
            ScratchNet.Serialization.ModelFileException => (ExitCodes.InputError, message),
            ScratchNet.Data.DataFormatException => (ExitCodes.InputError, message),
            ArgumentException => (ExitCodes.Usage, message),
            _ => (ExitCodes.InternalError, $"internal error ({ex.GetType().Name}): {message} (please report this)"),
        };
    }

    /// <summary>The longest message printed: an exception may quote input of any length.</summary>
    private const int MaxMessageLength = 4000;

    /// <summary>
    /// One printable line: line breaks become spaces, other control characters (a terminal escape a
    /// hostile file put into a name) are escaped, and a message longer than the cap is cut.
    /// </summary>
    private static string OneLine(string s) =>
        TextExcerpt.Of(string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim(), MaxMessageLength);
}
