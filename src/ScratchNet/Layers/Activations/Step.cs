using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Heaviside step, the classic perceptron's activation: y = 1 if x &gt; 0, else 0.
/// </summary>
/// <remarks>
/// Its derivative is 0 everywhere except at x = 0, where it does not exist; Backward returns zeros,
/// so no gradient flows through a Step and gradient descent cannot train the layers before it.
/// A perceptron is trained by the perceptron rule instead (w += η (t - y) x), or by swapping Step
/// for Sigmoid while training.
/// </remarks>
public sealed class Step : Activation, IPiecewiseLayer
{
    /// <summary>Which inputs of the last forward pass were positive (the kink is at 0).</summary>
    public ulong RegionFingerprint() => RegionHash.PositivePattern(LastInput);

    protected override void Apply(Tensor input, Tensor output)
    {
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0f ? 1f : 0f;
    }

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        gradInput.Clear();
}
