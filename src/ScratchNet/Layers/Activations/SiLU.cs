using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Sigmoid linear unit (swish with β = 1): y = x σ(x), σ(x) = 1 / (1 + e^-x);
/// dy/dx = σ(x) (1 + x (1 - σ(x))).
/// </summary>
/// <remarks>
/// The vector forms use the vector exponential (within 2 ulps of MathF.Exp), so they agree with the
/// scalar form to a few ulps, not always to the bit. Large negative x gives e^-x = +∞, σ = 0 and y = -0.
/// </remarks>
public sealed class SiLU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = x / (1 + e^-x).</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => x / (1f + MathF.Exp(-x));
        public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));
        public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));
        public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Exp(-x));
    }

    /// <summary>dL/dx = σ(x) (1 + x (1 - σ(x))) dL/dy.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            float s = 1f / (1f + MathF.Exp(-x));
            return s * (1f + x * (1f - s)) * dy;
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var s = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
            return s * (Vector512<float>.One + x * (Vector512<float>.One - s)) * dy;
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var s = Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
            return s * (Vector256<float>.One + x * (Vector256<float>.One - s)) * dy;
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var s = Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
            return s * (Vector128<float>.One + x * (Vector128<float>.One - s)) * dy;
        }
    }
}
