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
            _ when ex.GetType().Name == "TrainingDivergedException" => (ExitCodes.Diverged, message),
            ScratchNet.IO.RunFolderException => (ExitCodes.InputError, message),
            InvalidDataException or FormatException or FileNotFoundException or DirectoryNotFoundException
                or IOException or UnauthorizedAccessException => (ExitCodes.InputError, message),
            _ when ex.GetType().Name.EndsWith("FileException", StringComparison.Ordinal) => (ExitCodes.InputError, message),
            ScratchNet.Data.DataFormatException => (ExitCodes.InputError, message),
            ArgumentException => (ExitCodes.Usage, message),
            _ => (ExitCodes.InternalError, $"internal error ({ex.GetType().Name}): {message} (please report this)"),
        };
    }

    /// <summary>
    /// One printable line: line breaks become spaces, other control characters (a terminal escape a
    /// hostile file put into a name) are written as \uXXXX, and a message longer than 2,000 characters is cut.
    /// </summary>
    private static string OneLine(string s)
    {
        string line = string.Join(' ', s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        var sb = new System.Text.StringBuilder(Math.Min(line.Length, MaxLength) + 8);
        foreach (char c in line)
        {
            if (sb.Length >= MaxLength)
            {
                sb.Append("...");
                break;
            }
            if (char.IsControl(c)) sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private const int MaxLength = 2000;
}
