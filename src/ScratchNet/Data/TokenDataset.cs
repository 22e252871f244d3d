namespace ScratchNet.Data;

/// <summary>
/// Next-token samples of a character-level text: each sample is T token ids (carried as float32) and
/// its targets the T tokens that follow them, class indices over the <see cref="Vocabulary"/>
/// (<see cref="Targets.Ignored"/> where no loss counts). <see cref="TokenBlockDataset"/> cuts them from
/// one long stream, <see cref="TokenItemDataset"/> pads short items.
/// </summary>
public abstract class TokenDataset : Dataset
{
    /// <summary>A dataset of <paramref name="contextLength"/> tokens per sample over <paramref name="vocabulary"/>.</summary>
    protected TokenDataset(string name, int contextLength, CharVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Name = name;
        ContextLength = contextLength;
        Vocabulary = vocabulary;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Tokens per sample, T.</summary>
    public int ContextLength { get; }

    /// <summary>The tokenizer of the text.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <inheritdoc/>
    public override int[] SampleShape => [ContextLength];

    /// <inheritdoc/>
    public override int[] TargetShape => [ContextLength];

    /// <inheritdoc/>
    public override int TargetWidth => ContextLength;

    /// <inheritdoc/>
    public override int ClassCount => Vocabulary.Count;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ClassNames => Enumerable.Range(0, Vocabulary.Count).Select(Vocabulary.Display).ToArray();
}
