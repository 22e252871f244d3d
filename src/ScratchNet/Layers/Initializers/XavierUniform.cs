using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>Glorot uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), so Var = 2 / (fanIn + fanOut).</summary>
public sealed class XavierUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "XavierUniform";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillUniform(weights, MathF.Sqrt(6f / (fanIn + fanOut)), rng);
    }
}
