using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Layers.Recurrent;
using ScratchNet.Models;

namespace ScratchNet.Training.Presets;

/// <summary>
/// A character-level language model for text data (token ids (T) in, next-token logits (T, V) out), in
/// makemore's families:
/// <list type="bullet">
/// <item><c>bigram</c>: a V × V table of logits looked up by the current token (an <see cref="Embedding"/> of width V, starting at 0);</item>
/// <item><c>mlp</c>: makemore's MLP (Bengio et al. 2003): an embedding of width <see cref="Embedding"/>, a <see cref="CausalWindow"/> over the whole context (position t sees its T latest tokens, zeros before the start), a hidden layer of <see cref="Hidden"/> with tanh, a linear head;</item>
/// <item><c>rnn</c>, <c>lstm</c>, <c>gru</c>: an embedding of width <see cref="Embedding"/>, one recurrent layer of <see cref="Hidden"/> units over the sequence, a linear head;</item>
/// <item><c>transformer</c>: token and learned position embeddings of width <see cref="Embedding"/>, <see cref="Layers"/> pre-norm blocks of <see cref="Heads"/> heads, a final layer norm and a linear head without bias.</item>
/// </list>
/// </summary>
/// <remarks>
/// makemore's recurrent models learn their starting state; ours start from h₀ = 0.
/// </remarks>
public sealed record LanguageModelRecipe : ModelRecipe
{
    /// <summary>The kinds, as <see cref="Kind"/> takes them.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["bigram", "mlp", "rnn", "lstm", "gru", "transformer"];

    /// <summary>bigram, mlp, rnn, lstm, gru or transformer.</summary>
    public required string Kind { get; init; }

    /// <summary>Width of the token (and position) embeddings (makemore's n_embd).</summary>
    public int Embedding { get; init; } = 64;

    /// <summary>Units of the recurrent layer or of the MLP's hidden layer (makemore's n_embd2).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Attention heads per block; <see cref="Embedding"/> must be a multiple of it.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>The starting values' rules, as <see cref="Initialization"/> takes them.</summary>
    public static readonly IReadOnlyList<string> Initializations = ["default", "pytorch"];

    /// <summary>
    /// How the transformer's parameters start. <c>default</c>: embeddings N(0, 0.02²), weight matrices
    /// Glorot uniform (<see cref="XavierUniform"/>), biases 0. <c>pytorch</c>: PyTorch's module defaults,
    /// as in makemore (which sets none of its own): token and position embeddings N(0, 1) (nn.Embedding),
    /// weights and biases U(±1/√fan_in) (nn.Linear, <see cref="FanInUniform"/>). Layer norms start at
    /// γ = 1, β = 0 in both. The other kinds always use <c>default</c>.
    /// </summary>
    public string Initialization { get; init; } = "default";

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!Kinds.Contains(Kind)) throw new ArgumentException($"Unknown language model kind '{TextExcerpt.Of(Kind)}'; known: {string.Join(", ", Kinds)}.");
        if (Embedding is < 1 or > Limits.MaxLayerWidth) throw new ArgumentException($"The embedding width must be in [1, {Limits.MaxLayerWidth}] (got {Embedding}).");
        if (Hidden is < 1 or > Limits.MaxLayerWidth) throw new ArgumentException($"The hidden width must be in [1, {Limits.MaxLayerWidth}] (got {Hidden}).");
        if (Layers is < 1 or > Limits.MaxHiddenLayers) throw new ArgumentException($"The number of blocks must be in [1, {Limits.MaxHiddenLayers}] (got {Layers}).");
        if (!Initializations.Contains(Initialization)) throw new ArgumentException($"Unknown initialization '{TextExcerpt.Of(Initialization)}'; known: {string.Join(", ", Initializations)}.");
        if (Heads < 1 || Embedding % Heads != 0) throw new ArgumentException($"The embedding width {Embedding} must be a multiple of the {Heads} heads.");
    }

    /// <inheritdoc/>
    public override Sequential Build(LoadedData data, int outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate();
        if (data.Vocabulary is null || data.Train.SampleShape is not [int context])
            throw new ArgumentException($"A language model trains on text (names, tiny-shakespeare, a .txt file); {data.Info.Name} is not text.");
        int v = outputs;
        return Kind switch
        {
            "bigram" => new Sequential(new Embedding(v, v, initStd: 0)),
            "mlp" => new Sequential(new Embedding(v, Embedding), new CausalWindow(context), new Dense(Hidden), new Tanh(), new Dense(v)),
            "rnn" => new Sequential(new Embedding(v, Embedding), new SimpleRnn(Hidden), new Dense(v)),
            "lstm" => new Sequential(new Embedding(v, Embedding), new Lstm(Hidden), new Dense(v)),
            "gru" => new Sequential(new Embedding(v, Embedding), new Gru(Hidden), new Dense(v)),
            _ => Transformer(v, context),
        };
    }

    private Sequential Transformer(int v, int context)
    {
        if (Initialization == "pytorch")
        {
            var model = new Sequential(new Embedding(v, Embedding, initStd: 1), new PositionalEmbedding(context, initStd: 1));
            for (int i = 0; i < Layers; i++) model.Add(new TransformerBlock(Heads, new FanInUniform(), new FanInUniform()));
            return model.Add(new LayerNorm()).Add(new Dense(v, new FanInUniform(), useBias: false));
        }
        var standard = new Sequential(new Embedding(v, Embedding), new PositionalEmbedding(context));
        for (int i = 0; i < Layers; i++) standard.Add(new TransformerBlock(Heads));
        return standard.Add(new LayerNorm()).Add(new Dense(v, useBias: false));
    }

    /// <inheritdoc/>
    public override string Describe(LoadedData data, int outputs) => Kind switch
    {
        "bigram" => $"bigram table {outputs}x{outputs}",
        "mlp" => $"embedding {Embedding}, window of {(data.Train.SampleShape is [int t] ? t : 0)} positions, tanh {Hidden}, head {outputs}",
        "rnn" or "lstm" or "gru" => $"embedding {Embedding}, {Kind.ToUpperInvariant()} {Hidden}, head {outputs}",
        _ => $"transformer: embedding {Embedding}, {Layers} blocks of {Heads} heads, context {(data.Train.SampleShape is [int t] ? t : 0)}, head {outputs}",
    };
}
