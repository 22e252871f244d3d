using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Gaussian error linear unit, exact form (PyTorch's default): y = x Φ(x), where Φ is the standard
/// normal CDF, Φ(x) = (1 + erf(x/√2)) / 2; dy/dx = Φ(x) + x φ(x), φ the normal density.
/// </summary>
/// <remarks>
/// We use the exact (erf) form rather than the tanh approximation so results match PyTorch's
/// nn.GELU(). The scalar Invoke is the specification: erf in double by a fit accurate to 1.2e-7
/// relative, the result rounded to float once. The vector forms, which do the layer's work, evaluate
/// the same fit in float32 with fused multiply-adds and the float vector exponential (twice the lanes
/// of double and a shorter exponential: GELU was a fifth of a transformer block's time in double).
/// Their error grows with the exponent -x²/2 that float32 rounds: they are held within 4 ulps plus
/// 1e-6 (1 + x²/2) relative of the scalar form, for y and for the gradient (relative to |Φ| + |x φ|,
/// the terms that cancel near x = -0.75), by <c>Layers/GeluFastFormTests</c> on a dense grid and a sweep
/// of the float range, where the largest error found is 0.41 of that bound.
/// </remarks>
public sealed class GELU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = x Φ(x): in double for the scalar form, in float32 for the vector forms.</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => (float)(x * ErrorFunction.NormalCdf(x));

        public Vector512<float> Invoke(Vector512<float> x) => x * ErrorFunction.NormalCdfSingle(x);

        public Vector256<float> Invoke(Vector256<float> x) => x * ErrorFunction.NormalCdfSingle(x);

        public Vector128<float> Invoke(Vector128<float> x) => x * ErrorFunction.NormalCdfSingle(x);
    }

    /// <summary>dL/dx = (Φ(x) + x φ(x)) dL/dy: in double for the scalar form, in float32 for the vector forms.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            double xd = x;
            return (float)((ErrorFunction.NormalCdf(xd) + xd * ErrorFunction.NormalPdf(xd)) * dy);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) =>
            Vector512.FusedMultiplyAdd(x, ErrorFunction.NormalPdfSingle(x), ErrorFunction.NormalCdfSingle(x)) * dy;

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) =>
            Vector256.FusedMultiplyAdd(x, ErrorFunction.NormalPdfSingle(x), ErrorFunction.NormalCdfSingle(x)) * dy;

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) =>
            Vector128.FusedMultiplyAdd(x, ErrorFunction.NormalPdfSingle(x), ErrorFunction.NormalCdfSingle(x)) * dy;
    }
}
