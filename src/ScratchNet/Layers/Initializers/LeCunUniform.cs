using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>LeCun uniform: U(-a, a) with a = sqrt(3 / fanIn), so Var = 1 / fanIn.</summary>
public sealed class LeCunUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "LeCunUniform";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillUniform(weights, MathF.Sqrt(3f / fanIn), rng);
    }
}
