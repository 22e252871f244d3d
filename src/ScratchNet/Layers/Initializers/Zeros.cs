using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>Every weight 0 (the default for biases). Zero weights in a hidden layer make all its units identical: avoid for weights.</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override string Name => "Zeros";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng) => weights.Clear();
}
