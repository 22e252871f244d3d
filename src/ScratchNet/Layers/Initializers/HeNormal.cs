using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>He (Kaiming) normal for ReLU-family layers: N(0, σ²) with σ = sqrt(2 / fanIn). ReLU zeroes half its inputs, so twice the LeCun variance keeps activations at a steady scale.</summary>
public sealed class HeNormal : Initializer
{
    /// <inheritdoc/>
    public override string Name => "HeNormal";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillNormal(weights, MathF.Sqrt(2f / fanIn), rng);
    }
}
