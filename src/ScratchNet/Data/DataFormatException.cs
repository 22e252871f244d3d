namespace ScratchNet.Data;

/// <summary>
/// A data file is malformed or a dataset cannot be found: the one-line message names the file (and
/// the line and column for CSV) and what is wrong. The only exception type the data readers throw
/// for bad input (besides <see cref="OperationCanceledException"/>).
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>An error about <paramref name="source"/> (a file path or a dataset name).</summary>
    public DataFormatException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file or dataset the error is about.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
