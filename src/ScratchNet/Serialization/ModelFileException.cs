namespace ScratchNet.Serialization;

/// <summary>
/// A model or checkpoint file is missing, malformed, hostile or does not fit the model: the one-line
/// message names the file and the problem ("model.safetensors: tensor 'layers.0.weight' has
/// data_offsets [0, 99] outside the 64-byte data area").
/// </summary>
/// <remarks>
/// The problem is kept to one line of at most <see cref="MaxProblemLength"/> characters (control
/// characters escaped), whatever text from the file it quotes.
/// </remarks>
public sealed class ModelFileException : Exception
{
    /// <summary>The longest problem text kept, in characters.</summary>
    public const int MaxProblemLength = 1000;

    /// <summary>An error about the file <paramref name="path"/>.</summary>
    public ModelFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {TextExcerpt.Of(problem, MaxProblemLength)}", inner)
    {
        Path = path;
        Problem = TextExcerpt.Of(problem, MaxProblemLength);
    }

    /// <summary>The file the error is about.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
