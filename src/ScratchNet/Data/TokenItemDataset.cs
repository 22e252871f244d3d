using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Short items (names, words) as next-token samples, as makemore makes them: with T = the longest
/// item's length + 1 and the boundary token 0, the item "emma" gives the input
/// x = [0, e, m, m, a, 0, ...] and the targets y = [e, m, m, a, 0, −1, ...]: each position predicts
/// the next character, the position after the last character predicts the end (0), and the padding's
/// targets are <see cref="Targets.Ignored"/> (−1), which the loss skips.
/// </summary>
public sealed class TokenItemDataset : TokenDataset
{
    private readonly ushort[][] _items;

    /// <summary>Items already encoded with <paramref name="vocabulary"/> (which must have the boundary token), padded to <paramref name="contextLength"/>.</summary>
    /// <exception cref="ArgumentException">The vocabulary has no boundary token, or an item does not fit in T − 1 positions.</exception>
    public TokenItemDataset(string name, IReadOnlyList<ushort[]> items, int contextLength, CharVocabulary vocabulary)
        : base(name, contextLength, vocabulary)
    {
        if (!vocabulary.HasBoundary) throw new ArgumentException("items need a vocabulary with a boundary token", nameof(vocabulary));
        if (contextLength is < 2 or > Limits.MaxContextLength)
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, $"the context length must be 2 to {Limits.MaxContextLength:N0}");
        foreach (var item in items)
            if (item.Length > contextLength - 1) throw new ArgumentException($"an item of {item.Length} tokens does not fit a context of {contextLength}", nameof(items));
        _items = [.. items];
    }

    /// <summary>The items as text.</summary>
    public IEnumerable<string> Items => _items.Select(i => Vocabulary.Decode(i.Select(t => (int)t).ToArray()));

    /// <inheritdoc/>
    public override int Count => _items.Length;

    /// <inheritdoc/>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        int t = ContextLength;
        var x = features.Span;
        var y = targets.Span;
        for (int b = 0; b < indices.Length; b++)
        {
            var item = _items[indices[b]];
            var xRow = x.Slice(b * t, t);
            var yRow = y.Slice(b * t, t);
            xRow.Clear();
            yRow.Fill(Targets.Ignored);
            for (int i = 0; i < item.Length; i++)
            {
                xRow[i + 1] = item[i];
                yRow[i] = item[i];
            }
            yRow[item.Length] = CharVocabulary.BoundaryId;
        }
    }
}
