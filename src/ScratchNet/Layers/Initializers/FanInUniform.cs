using ScratchNet.Tensors;

namespace ScratchNet.Layers.Initializers;

/// <summary>
/// Fan-in uniform: U(-a, a) with a = 1 / √fanIn, so Var = 1 / (3 fanIn). PyTorch's default for the
/// weight and the bias of nn.Linear (kaiming_uniform_ with a = √5 gives this bound).
/// </summary>
public sealed class FanInUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "FanInUniform";

    /// <inheritdoc/>
    public override void Fill(Tensor weights, int fanIn, int fanOut, Rng rng)
    {
        RequireFans(fanIn, fanOut);
        FillUniform(weights, 1f / MathF.Sqrt(fanIn), rng);
    }
}
