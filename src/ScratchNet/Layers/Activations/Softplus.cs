using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Softplus, a smooth ReLU: y = log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|) so that no
/// exponential overflows; dy/dx = σ(x) = 1 / (1 + e^-x).
/// </summary>
/// <remarks>
/// The vector forms use the vector exponential and logarithm (a few ulps from MathF's), so they
/// agree with the scalar form to a few ulps, not always to the bit.
/// </remarks>
public sealed class Softplus : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = max(x, 0) + log(1 + e^-|x|).</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
        public Vector512<float> Invoke(Vector512<float> x) =>
            Vector512.Max(x, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + Vector512.Exp(-Vector512.Abs(x)));
        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.Max(x, Vector256<float>.Zero) + Vector256.Log(Vector256<float>.One + Vector256.Exp(-Vector256.Abs(x)));
        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.Max(x, Vector128<float>.Zero) + Vector128.Log(Vector128<float>.One + Vector128.Exp(-Vector128.Abs(x)));
    }

    /// <summary>dL/dx = σ(x) dL/dy.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy) => dy / (1f + MathF.Exp(-x));
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy / (Vector512<float>.One + Vector512.Exp(-x));
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy / (Vector256<float>.One + Vector256.Exp(-x));
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => dy / (Vector128<float>.One + Vector128.Exp(-x));
    }
}
