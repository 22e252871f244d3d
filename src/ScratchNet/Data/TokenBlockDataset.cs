using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Next-token samples cut from one long token stream (nanoGPT's character-level Shakespeare): sample
/// s is the block x = tokens[o .. o+T) and its targets y = tokens[o+1 .. o+T+1), so position t learns
/// to predict the token after x[t] from x[0..t]. Inputs and targets are token ids carried as float32,
/// shape (batch, T) each.
/// </summary>
/// <remarks>
/// Two ways to cut the stream: <see cref="EveryOffset"/> makes every start offset a sample (nanoGPT draws
/// its training batches from these), <see cref="Covering"/> makes blocks that predict each target of
/// the stream exactly once, for a loss that is the mean over the whole split. Its last block ends at
/// the stream's end and overlaps the one before; its targets already predicted are <see cref="Targets.Ignored"/>.
/// </remarks>
public sealed class TokenBlockDataset : TokenDataset
{
    private readonly ushort[] _tokens;
    private readonly int _stride, _regular, _lastOffset; // sample s < _regular starts at s·_stride; one more starts at _lastOffset (−1: none)
    private readonly int _firstCountedOfLast;

    private TokenBlockDataset(string name, ushort[] tokens, int contextLength, int stride, int regular, int lastOffset, int firstCountedOfLast, CharVocabulary vocabulary)
        : base(name, contextLength, vocabulary)
    {
        _tokens = tokens;
        _stride = stride;
        _regular = regular;
        _lastOffset = lastOffset;
        _firstCountedOfLast = firstCountedOfLast;
    }

    /// <summary>Every start offset 0 .. n−T−1 of a stream of n tokens as a sample (n − T samples).</summary>
    /// <exception cref="DataFormatException">The stream has no more than <paramref name="contextLength"/> tokens.</exception>
    public static TokenBlockDataset EveryOffset(string name, ReadOnlySpan<ushort> tokens, int contextLength, CharVocabulary vocabulary)
    {
        RequireLongEnough(name, tokens.Length, contextLength);
        return new TokenBlockDataset(name, tokens.ToArray(), contextLength, 1, tokens.Length - contextLength, -1, 0, vocabulary);
    }

    /// <summary>
    /// Blocks at offsets 0, T, 2T, ... and one more that ends at the stream's end, so that every target
    /// token 1 .. n−1 is predicted exactly once (the overlap's targets in the last block are ignored).
    /// </summary>
    /// <exception cref="DataFormatException">The stream has no more than <paramref name="contextLength"/> tokens.</exception>
    public static TokenBlockDataset Covering(string name, ReadOnlySpan<ushort> tokens, int contextLength, CharVocabulary vocabulary)
    {
        RequireLongEnough(name, tokens.Length, contextLength);
        int targets = tokens.Length - 1, full = targets / contextLength;
        int last = -1, firstCounted = 0;
        if (targets % contextLength != 0)
        {
            last = targets - contextLength;
            firstCounted = full * contextLength - last;
        }
        return new TokenBlockDataset(name, tokens.ToArray(), contextLength, contextLength, full, last, firstCounted, vocabulary);
    }

    private static void RequireLongEnough(string name, int tokens, int contextLength)
    {
        if (contextLength is < 1 or > Limits.MaxContextLength)
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, $"the context length must be 1 to {Limits.MaxContextLength:N0}");
        if (tokens <= contextLength)
            throw new DataFormatException(name, $"{tokens:N0} characters, too few for one block of {contextLength:N0} and its next character");
    }

    /// <summary>Tokens in the stream.</summary>
    public int TokenCount => _tokens.Length;

    /// <inheritdoc/>
    public override int Count => _regular + (_lastOffset >= 0 ? 1 : 0);

    /// <inheritdoc/>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        int t = ContextLength;
        var x = features.Span;
        var y = targets.Span;
        for (int b = 0; b < indices.Length; b++)
        {
            int sample = indices[b];
            if ((uint)sample >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), sample, $"{Name} has samples 0 to {Count - 1}");
            int offset = sample < _regular ? sample * _stride : _lastOffset;
            var input = _tokens.AsSpan(offset, t);
            var next = _tokens.AsSpan(offset + 1, t);
            var xRow = x.Slice(b * t, t);
            var yRow = y.Slice(b * t, t);
            for (int i = 0; i < t; i++)
            {
                xRow[i] = input[i];
                yRow[i] = next[i];
            }
            if (sample == _regular && _firstCountedOfLast > 0) yRow[.._firstCountedOfLast].Fill(Targets.Ignored);
        }
    }
}
