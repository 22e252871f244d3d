using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>He (Kaiming) uniform for ReLU-family layers: U(-a, a) with a = sqrt(6 / fanIn), so Var = 2 / fanIn.</summary>
public sealed class HeUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "HeUniform";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillUniform(weights, MathF.Sqrt(6f / fanIn), rng);
    }
}
