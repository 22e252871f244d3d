using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;

namespace ScratchNet.Layers;

/// <summary>
/// Rebuilds a layer from its <see cref="LayerSpec"/> (the inverse of <see cref="Layer.Spec"/>):
/// a switch from the type name to the constructor. Layers defined outside the library can be added
/// with <see cref="Register"/>.
/// </summary>
public static class LayerFactory
{
    private static readonly Dictionary<string, Func<LayerSpec, Layer>> Custom = new(StringComparer.Ordinal);
    private static readonly Lock CustomLock = new();

    /// <summary>An unbuilt layer with the type and settings of <paramref name="spec"/>.</summary>
    public static Layer Create(LayerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Type)
        {
            case "Dense":
                return new Dense(spec.GetInt("units"),
                    spec.Settings.TryGetValue("weightInit", out var init) ? Initializer.Parse(init) : null,
                    SpecText.GetBool(spec, "useBias", true),
                    OptionalInit(spec, "biasInit"));
            case "Dropout": return new Dropout(spec.GetFloat("rate"));
            case "BatchNorm": return new BatchNorm(SpecText.GetFloat(spec, "momentum", 0.1f), SpecText.GetFloat(spec, "epsilon", 1e-5f));
            case "Flatten": return new Flatten();
            case "Step": return new Step();
            case "Identity": return new Identity();
            case "GaussianSample": return new GaussianSample(spec.GetInt("latent"));
            case "MinibatchStdDev": return new MinibatchStdDev(spec.GetInt("groupSize"), SpecText.GetFloat(spec, "epsilon", 1e-8f));
            case "Sigmoid": return new Sigmoid();
            case "Tanh": return new Tanh();
            case "ReLU": return new ReLU();
            case "LeakyReLU": return new LeakyReLU(SpecText.GetFloat(spec, "alpha", 0.01f));
            case "ELU": return new ELU(SpecText.GetFloat(spec, "alpha", 1f));
            case "GELU": return new GELU();
            case "Softmax": return new Softmax();
            // Sequence layers: (batch, T, C) tensors.
            case "SiLU": return new SiLU();
            case "Softplus": return new Softplus();
            case "LayerNorm": return new LayerNorm(SpecText.GetFloat(spec, "epsilon", 1e-5f));
            case "Embedding": return Embedding.FromSpec(spec);
            case "PositionalEmbedding": return PositionalEmbedding.FromSpec(spec);
            case "CausalWindow": return new CausalWindow(spec.GetInt("size"));
            case "CausalSelfAttention": return new CausalSelfAttention(spec.GetInt("heads"), OptionalInit(spec, "weightInit"), OptionalInit(spec, "biasInit"));
            case "TransformerBlock": return new TransformerBlock(spec.GetInt("heads"), OptionalInit(spec, "weightInit"), OptionalInit(spec, "biasInit"));
            // Convolution layers (cnn branch): each parses its own spec.
            case "Conv2D": return Conv2D.FromSpec(spec);
            case "MaxPool2D": return MaxPool2D.FromSpec(spec);
            case "AvgPool2D": return AvgPool2D.FromSpec(spec);
            case "GlobalAveragePool": return new GlobalAveragePool();
            case "SimpleRNN": return new Recurrent.SimpleRnn(spec.GetInt("units"), SpecText.GetBool(spec, "returnSequences", true));
            case "LSTM": return new Recurrent.Lstm(spec.GetInt("units"), SpecText.GetBool(spec, "returnSequences", true));
            case "GRU": return new Recurrent.Gru(spec.GetInt("units"), SpecText.GetBool(spec, "returnSequences", true));
            case "BatchNorm2D": return BatchNorm2D.FromSpec(spec);
            case "RandomShift2D": return RandomShift2D.FromSpec(spec);
        }
        lock (CustomLock)
        {
            if (Custom.TryGetValue(spec.Type, out var create)) return create(spec);
        }
        throw new FormatException($"Unknown layer type '{TextExcerpt.Of(spec.Type)}'.");
    }

    /// <summary>The activation names <see cref="Activation"/> knows (the command line's --activation values).</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = ["relu", "tanh", "sigmoid", "gelu", "elu", "leaky-relu"];

    /// <summary>
    /// A new activation layer from its short name (relu, tanh, sigmoid, gelu, elu, leaky-relu) or its
    /// type name (ReLU, LeakyReLU, ...), with default settings.
    /// </summary>
    /// <exception cref="ArgumentException">Not an activation name; the message lists the known ones.</exception>
    public static Activation Activation(string name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "relu" => new ReLU(),
        "tanh" => new Tanh(),
        "sigmoid" => new Sigmoid(),
        "gelu" => new GELU(),
        "elu" => new ELU(),
        "leaky-relu" or "leakyrelu" => new LeakyReLU(),
        _ => throw new ArgumentException($"Unknown activation '{TextExcerpt.Of(name ?? "")}'. Known: {string.Join(", ", ActivationNames)}."),
    };

    private static Initializer? OptionalInit(LayerSpec spec, string key) =>
        spec.Settings.TryGetValue(key, out var name) ? Initializer.Parse(name) : null;

    /// <summary>Teaches <see cref="Create"/> a layer type defined outside this switch.</summary>
    public static void Register(string type, Func<LayerSpec, Layer> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(create);
        lock (CustomLock) Custom[type] = create;
    }
}
