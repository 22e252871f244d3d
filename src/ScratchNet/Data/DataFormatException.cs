namespace ScratchNet.Data;

/// <summary>
/// A data file is malformed or a dataset cannot be found: the one-line message names the file (and
/// the line and column for CSV) and what is wrong. The only exception type the data readers throw
/// for bad input (besides <see cref="OperationCanceledException"/>).
/// </summary>
/// <remarks>
/// The problem is kept to one line of at most <see cref="MaxProblemLength"/> characters (control
/// characters escaped), whatever text from the file it quotes.
/// </remarks>
public sealed class DataFormatException : Exception
{
    /// <summary>The longest problem text kept, in characters (a dataset that is not found lists every folder searched).</summary>
    public const int MaxProblemLength = 2000;

    /// <summary>An error about <paramref name="source"/> (a file path or a dataset name).</summary>
    public DataFormatException(string source, string problem, Exception? inner = null)
        : base($"{source}: {TextExcerpt.Of(problem, MaxProblemLength)}", inner)
    {
        Source = source;
        Problem = TextExcerpt.Of(problem, MaxProblemLength);
    }

    /// <summary>The file or dataset the error is about.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
