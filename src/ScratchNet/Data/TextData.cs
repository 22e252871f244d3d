namespace ScratchNet.Data;

/// <summary>
/// Turns a text into a language model's training and test splits (<see cref="TextLayout"/>), with the
/// character vocabulary of the whole text.
/// </summary>
internal static class TextData
{
    /// <summary>Context length of a stream when the recipe gives none: 64, nanoGPT's CPU configuration.</summary>
    public const int DefaultContextLength = 64;

    /// <summary>The fraction of a stream that trains (nanoGPT's 0.9); the rest validates.</summary>
    public const double StreamTrainFraction = 0.9;

    /// <summary>The test split of items: a tenth of them, at most this many (makemore's 1,000).</summary>
    public const int MaxTestItems = 1000;

    /// <summary>Splits <paramref name="text"/> (read from <paramref name="source"/>) as <paramref name="info"/> and <paramref name="options"/> say.</summary>
    /// <exception cref="DataFormatException">An empty text, a text too short for one block, a line too long, too many distinct characters.</exception>
    public static LoadedData Load(DatasetInfo info, string source, string text, DatasetLoadOptions options)
    {
        if (text.Length == 0) throw new DataFormatException(source, "the text is empty");
        var layout = options.TextLayout ?? info.TextLayout;
        return layout == TextLayout.Lines ? LoadLines(info, source, text, options) : LoadStream(info, source, text, options);
    }

    private static LoadedData LoadStream(DatasetInfo info, string source, string text, DatasetLoadOptions options)
    {
        int contextLength = options.ContextLength ?? DefaultContextLength;
        if (contextLength is < 1 or > Limits.MaxContextLength)
            throw new DataFormatException(source, $"a context of {contextLength:N0} characters is outside 1 to {Limits.MaxContextLength:N0}");
        var vocabulary = Vocabulary(source, () => CharVocabulary.FromText(text));
        var tokens = Array.ConvertAll(vocabulary.Encode(text, source), id => (ushort)id);
        int trainCount = (int)(tokens.Length * StreamTrainFraction);
        if (trainCount <= contextLength || tokens.Length - trainCount <= contextLength)
            throw new DataFormatException(source, $"{tokens.Length:N0} characters, too few for a context of {contextLength:N0} in both the first 90 % (training) and the last 10 % (validation)");
        var train = TokenBlockDataset.EveryOffset($"{info.Name}/train", tokens.AsSpan(0, trainCount), contextLength, vocabulary);
        var test = TokenBlockDataset.Covering($"{info.Name}/validation", tokens.AsSpan(trainCount), contextLength, vocabulary);
        return new LoadedData(train, test, info) { Vocabulary = vocabulary };
    }

    private static LoadedData LoadLines(DatasetInfo info, string source, string text, DatasetLoadOptions options)
    {
        var items = new List<string>();
        int lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            string item = line.Trim();
            if (item.Length == 0) continue;
            if (item.Length >= Limits.MaxContextLength)
                throw new DataFormatException($"{source}:{lineNumber}", $"a line of {item.Length:N0} characters; an item may have at most {Limits.MaxContextLength - 1:N0}");
            items.Add(item);
        }
        if (items.Count == 0) throw new DataFormatException(source, "no items: every line is empty");
        var vocabulary = Vocabulary(source, () => CharVocabulary.FromItems(items));
        var encoded = items.Select(w => Array.ConvertAll(vocabulary.Encode(w, source), id => (ushort)id)).ToArray();
        int longest = encoded.Max(e => e.Length);
        int contextLength = options.ContextLength ?? longest + 1;
        if (contextLength < longest + 1)
            throw new DataFormatException(source, $"the longest item has {longest:N0} characters: a context of {contextLength:N0} cannot hold it and its end token (at least {longest + 1:N0})");

        // makemore: a seeded permutation; the last min(1000, 10 %) items test.
        var order = new Rng(options.Seed).Permutation(encoded.Length);
        int testCount = Math.Min(MaxTestItems, encoded.Length / 10);
        var trainItems = order[..^testCount].Select(i => encoded[i]).ToArray();
        var testItems = order[^testCount..].Select(i => encoded[i]).ToArray();
        var train = new TokenItemDataset($"{info.Name}/train", trainItems, contextLength, vocabulary);
        var test = new TokenItemDataset($"{info.Name}/test", testItems, contextLength, vocabulary);
        return new LoadedData(train, test, info) { Vocabulary = vocabulary };
    }

    private static CharVocabulary Vocabulary(string source, Func<CharVocabulary> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(source, e.Message.Split(" (Parameter")[0]);
        }
    }
}
