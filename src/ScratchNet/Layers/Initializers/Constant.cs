using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>Every weight equal to <see cref="Value"/>.</summary>
public sealed class Constant(float value) : Initializer
{
    /// <summary>The value every weight gets.</summary>
    public float Value { get; } = value;

    /// <inheritdoc/>
    public override string Name => $"Constant({Value.ToString("R", CultureInfo.InvariantCulture)})";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng) => weights.Fill(Value);
}
