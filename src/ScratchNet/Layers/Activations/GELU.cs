using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Gaussian error linear unit, exact form (PyTorch's default): y = x Φ(x), where Φ is the standard
/// normal CDF, Φ(x) = (1 + erf(x/√2)) / 2; dy/dx = Φ(x) + x φ(x), φ the normal density.
/// </summary>
/// <remarks>
/// We use the exact (erf) form rather than the tanh approximation so results match PyTorch's
/// nn.GELU(); erf is computed in double with a fit accurate to 1.2e-7 relative, and the result
/// rounded to float once. The vector forms evaluate the same double expressions with the vector
/// exponential: within 1 ulp of the scalar ones, and nearly always the same bits.
/// </remarks>
public sealed class GELU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = x Φ(x), in double.</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => (float)(x * ErrorFunction.NormalCdf(x));

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var (lo, hi) = Vector512.Widen(x);
            return Vector512.Narrow(lo * ErrorFunction.NormalCdf(lo), hi * ErrorFunction.NormalCdf(hi));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lo, hi) = Vector256.Widen(x);
            return Vector256.Narrow(lo * ErrorFunction.NormalCdf(lo), hi * ErrorFunction.NormalCdf(hi));
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var (lo, hi) = Vector128.Widen(x);
            return Vector128.Narrow(lo * ErrorFunction.NormalCdf(lo), hi * ErrorFunction.NormalCdf(hi));
        }
    }

    /// <summary>dL/dx = (Φ(x) + x φ(x)) dL/dy, in double.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            double xd = x;
            return (float)((ErrorFunction.NormalCdf(xd) + xd * ErrorFunction.NormalPdf(xd)) * dy);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var (xl, xh) = Vector512.Widen(x);
            var (gl, gh) = Vector512.Widen(dy);
            return Vector512.Narrow(Derivative(xl) * gl, Derivative(xh) * gh);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var (xl, xh) = Vector256.Widen(x);
            var (gl, gh) = Vector256.Widen(dy);
            return Vector256.Narrow(Derivative(xl) * gl, Derivative(xh) * gh);
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var (xl, xh) = Vector128.Widen(x);
            var (gl, gh) = Vector128.Widen(dy);
            return Vector128.Narrow(Derivative(xl) * gl, Derivative(xh) * gh);
        }

        private static Vector512<double> Derivative(Vector512<double> x) => ErrorFunction.NormalCdf(x) + x * ErrorFunction.NormalPdf(x);
        private static Vector256<double> Derivative(Vector256<double> x) => ErrorFunction.NormalCdf(x) + x * ErrorFunction.NormalPdf(x);
        private static Vector128<double> Derivative(Vector128<double> x) => ErrorFunction.NormalCdf(x) + x * ErrorFunction.NormalPdf(x);
    }
}
