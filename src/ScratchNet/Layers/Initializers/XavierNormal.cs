using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>Glorot normal: N(0, σ²) with σ = sqrt(2 / (fanIn + fanOut)).</summary>
public sealed class XavierNormal : Initializer
{
    /// <inheritdoc/>
    public override string Name => "XavierNormal";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillNormal(weights, MathF.Sqrt(2f / (fanIn + fanOut)), rng);
    }
}
