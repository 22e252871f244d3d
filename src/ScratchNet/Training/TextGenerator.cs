using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// Samples text from a causal character-level language model: a model that maps T token ids
/// (batch, T) to next-token logits (batch, T, V), where position t sees only tokens 0..t.
/// </summary>
/// <remarks>
/// One token at a time: the last min(n, T) tokens are placed at positions 0.. of the model's window
/// (the rest padded with id 0, which a causal model cannot see from the positions read), the logits
/// at the last real position are divided by the temperature τ, all but the k largest are dropped
/// (top-k), and the next token is drawn from p_i = exp(z_i/τ) / Σ_j exp(z_j/τ) with the seeded
/// <see cref="Rng"/>: the same seed gives the same text. With a vocabulary that has a boundary token
/// (names), every item starts from it and ends when it is drawn.
/// </remarks>
public sealed class TextGenerator
{
    private readonly Sequential _model;
    private readonly Tensor _window;
    private readonly double[] _probabilities;
    private readonly int[] _order;

    /// <summary>A generator for <paramref name="model"/> (built) and the vocabulary it was trained with.</summary>
    /// <exception cref="ArgumentException">The model does not map (T) token ids to (T, V) logits for this vocabulary of V tokens.</exception>
    public TextGenerator(Sequential model, CharVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!model.IsBuilt) throw new ArgumentException("the model is not built", nameof(model));
        if (model.InputShape is not [int context] || model.OutputShape is not [int steps, int classes] || steps != context || classes != vocabulary.Count)
            throw new ArgumentException($"not a language model for this vocabulary: it maps {Tensor.FormatShape(model.InputShape)} to {Tensor.FormatShape(model.OutputShape)}, where a language model of {vocabulary.Count} tokens maps (T) token ids to (T, {vocabulary.Count}) logits", nameof(model));
        _model = model;
        Vocabulary = vocabulary;
        ContextLength = context;
        _window = new Tensor(1, context);
        _probabilities = new double[classes];
        _order = new int[classes];
    }

    /// <summary>The vocabulary of the model.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>T, the most tokens the model sees at once.</summary>
    public int ContextLength { get; }

    /// <summary>
    /// <paramref name="count"/> samples as text, each from the same start with the same settings, one
    /// after the other from <paramref name="rng"/>: with a boundary token, whole items (names) of at most
    /// <see cref="ContextLength"/> tokens, one a line; without, <paramref name="streamTokens"/> tokens
    /// after a line break (or after token 0 where the text has none), the samples apart by a line "----".
    /// </summary>
    public string Samples(int count, Rng rng, int streamTokens = 500, float temperature = 1f, int? topK = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int[] start = Vocabulary.HasBoundary ? [] : Vocabulary.Contains(new System.Text.Rune('\n')) ? Vocabulary.Encode("\n") : [0];
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0 && !Vocabulary.HasBoundary) text.Append("\n----\n");
            text.Append(Vocabulary.Decode(start)).Append(Vocabulary.Decode(Generate(start, Vocabulary.HasBoundary ? ContextLength : streamTokens, temperature, topK, rng)));
            if (Vocabulary.HasBoundary) text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by up to <paramref name="maxTokens"/> tokens and returns only the
    /// new ones. With a boundary token, the prompt is taken as the start of an item and generation stops
    /// when the boundary is drawn (not returned).
    /// </summary>
    /// <param name="prompt">Token ids to continue (may be empty when the vocabulary has a boundary token).</param>
    /// <param name="maxTokens">The most tokens to add.</param>
    /// <param name="temperature">τ &gt; 0: below 1 sharpens the distribution, above 1 flattens it.</param>
    /// <param name="topK">Draw only among the k most likely tokens; null for all.</param>
    /// <param name="rng">The random source (seeded for repeatable text).</param>
    /// <exception cref="ArgumentException">An empty prompt without a boundary token, τ not positive and finite, k outside 1..V, an id outside the vocabulary.</exception>
    public int[] Generate(ReadOnlySpan<int> prompt, int maxTokens, float temperature, int? topK, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        if (!(temperature > 0) || float.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be a positive, finite number");
        if (topK is { } k && (k < 1 || k > Vocabulary.Count))
            throw new ArgumentOutOfRangeException(nameof(topK), k, $"top-k must be 1 to {Vocabulary.Count}");
        foreach (int id in prompt)
            if ((uint)id >= (uint)Vocabulary.Count) throw new ArgumentException($"token id {id} is outside the vocabulary of {Vocabulary.Count}", nameof(prompt));
        var tokens = new List<int>(prompt.Length + maxTokens + 1);
        if (Vocabulary.HasBoundary) tokens.Add(CharVocabulary.BoundaryId);
        foreach (int id in prompt) tokens.Add(id);
        if (tokens.Count == 0) throw new ArgumentException("the prompt is empty: a model without a boundary token needs at least one character to start from", nameof(prompt));
        int start = tokens.Count;
        for (int step = 0; step < maxTokens; step++)
        {
            int next = Next(tokens, temperature, topK, rng);
            if (Vocabulary.HasBoundary && next == CharVocabulary.BoundaryId) break;
            tokens.Add(next);
        }
        return tokens.Skip(start).ToArray();
    }

    private int Next(List<int> tokens, float temperature, int? topK, Rng rng)
    {
        int n = Math.Min(tokens.Count, ContextLength), first = tokens.Count - n;
        var window = _window.Span;
        window.Clear();
        for (int t = 0; t < n; t++) window[t] = tokens[first + t];
        var logits = _model.Forward(_window).Span.Slice((n - 1) * Vocabulary.Count, Vocabulary.Count);

        int v = Vocabulary.Count;
        for (int i = 0; i < v; i++) _order[i] = i;
        int kept = v;
        if (topK is { } k && k < v)
        {
            // Most likely first; equal logits keep the lower id first, so the cut does not depend on sort internals.
            var scores = logits.ToArray();
            Array.Sort(_order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
            kept = k;
        }
        double max = double.NegativeInfinity;
        for (int i = 0; i < kept; i++) max = Math.Max(max, logits[_order[i]] / (double)temperature);
        double sum = 0;
        for (int i = 0; i < kept; i++) sum += _probabilities[i] = Math.Exp(logits[_order[i]] / (double)temperature - max);
        if (!double.IsFinite(sum)) throw new InvalidOperationException("the model's logits are not finite numbers: the model cannot be sampled");
        double u = rng.NextDouble() * sum, cumulative = 0;
        for (int i = 0; i < kept; i++)
        {
            cumulative += _probabilities[i];
            if (u < cumulative) return _order[i];
        }
        return _order[kept - 1];
    }
}
