using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>LeCun normal: N(0, σ²) with σ = sqrt(1 / fanIn).</summary>
public sealed class LeCunNormal : Initializer
{
    /// <inheritdoc/>
    public override string Name => "LeCunNormal";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillNormal(weights, MathF.Sqrt(1f / fanIn), rng);
    }
}
