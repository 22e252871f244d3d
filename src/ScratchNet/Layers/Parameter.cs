using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// A trainable tensor and the gradient of the loss with respect to it, dL/dValue, of the same shape.
/// </summary>
public sealed class Parameter
{
    /// <summary>A parameter named <paramref name="name"/> (such as "weight" or "bias") holding <paramref name="value"/>.</summary>
    public Parameter(string name, Tensor value)
    {
        Name = name;
        Value = value;
        Gradient = new Tensor(value.ShapeArray());
    }

    private Parameter(string name, Tensor value, Tensor gradient, bool decays)
    {
        Name = name;
        Value = value;
        Gradient = gradient;
        Decays = decays;
    }

    /// <summary>
    /// The same parameter (the same value and gradient tensors, the same <see cref="Decays"/>) under the
    /// name <paramref name="prefix"/>.<see cref="Name"/>: how a composite layer lists its sublayers'
    /// parameters with names unique within it ("attention.qkv.weight").
    /// </summary>
    public Parameter Prefixed(string prefix) => new($"{prefix}.{Name}", Value, Gradient, Decays);

    /// <summary>Short name within its layer: "weight", "bias", "gamma", "beta".</summary>
    public string Name { get; }

    /// <summary>The current value.</summary>
    public Tensor Value { get; }

    /// <summary>dL/dValue from the last backward pass (overwritten by each <see cref="Layer.Backward"/>).</summary>
    public Tensor Gradient { get; }

    /// <summary>
    /// Whether weight penalties (L1, L2, decoupled weight decay) apply. True for weights, false for
    /// biases and normalisation scales and shifts, as is conventional.
    /// </summary>
    public bool Decays { get; init; } = true;

    /// <inheritdoc/>
    public override string ToString() => $"{Name}{Value.ShapeString}";
}
