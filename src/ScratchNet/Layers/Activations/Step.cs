using System.Runtime.Intrinsics;
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

    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        gradInput.Clear();

    /// <summary>y = 1 for x &gt; 0, else 0 (NaN included).</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => x > 0f ? 1f : 0f;
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero);
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One, Vector128<float>.Zero);
    }
}
