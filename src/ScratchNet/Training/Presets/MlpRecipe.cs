using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Initializers;
using ScratchNet.Models;

namespace ScratchNet.Training.Presets;

/// <summary>
/// A multilayer perceptron: [Flatten for images,] then for each hidden width Dense → [BatchNorm →]
/// activation [→ Dropout], and a Dense output layer. Weights before a ReLU-family activation start
/// He-uniform, before tanh and sigmoid Glorot-uniform; the output layer Glorot-uniform. No hidden
/// layer is linear (or logistic) regression: one Dense layer.
/// </summary>
public sealed record MlpRecipe : ModelRecipe
{
    /// <summary>Hidden layer widths, input to output (empty: one Dense layer).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [];

    /// <summary>The hidden activation by <see cref="LayerFactory.Activation"/> name ("relu", "tanh", ...).</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout rate after each hidden activation (0: none).</summary>
    public double Dropout { get; init; }

    /// <summary>Batch normalisation between each hidden Dense layer and its activation.</summary>
    public bool BatchNorm { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        ValidateHiddenWidths(Hidden, "hidden", "An MLP");
        if (!TextExcerpt.IsName(Activation)) throw new ArgumentException($"The activation is not a name: '{TextExcerpt.Of(Activation)}'.");
        LayerFactory.Activation(Activation);
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"The dropout rate must be in [0, 1) (got {Dropout}).");
    }

    /// <inheritdoc/>
    public override Sequential Build(LoadedData data, int outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate();
        var layers = new List<Layer>();
        if (data.Train.SampleShape.Length > 1) layers.Add(new Flatten());
        foreach (int width in Hidden)
        {
            layers.Add(new Dense(width, InitializerFor(Activation)));
            if (BatchNorm) layers.Add(new Layers.BatchNorm());
            layers.Add(LayerFactory.Activation(Activation));
            if (Dropout > 0) layers.Add(new Layers.Dropout((float)Dropout));
        }
        layers.Add(new Dense(outputs));
        return new Sequential(layers.ToArray());
    }

    /// <inheritdoc/>
    public override string Describe(LoadedData data, int outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        int inputs = data.Train.SampleShape.Aggregate(1, (a, b) => a * b);
        string widths = string.Join('-', [inputs, .. Hidden, outputs]);
        if (Hidden.Count == 0) return $"{widths} linear";
        string text = $"{widths}, {LayerFactory.Activation(Activation).TypeName}";
        if (BatchNorm) text += ", batch norm";
        if (Dropout > 0) text += ", dropout " + Dropout.ToString("G", CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>He-uniform before the ReLU family, Glorot-uniform before tanh and sigmoid.</summary>
    private static Initializer InitializerFor(string activation) =>
        activation.Trim().ToLowerInvariant() is "tanh" or "sigmoid" ? new XavierUniform() : new HeUniform();
}
