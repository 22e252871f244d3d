using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Sigmoid linear unit (swish with β = 1): y = x σ(x), σ(x) = 1 / (1 + e^-x);
/// dy/dx = σ(x) (1 + x (1 - σ(x))).
/// </summary>
/// <remarks>
/// Computed in double and rounded to float once, as <see cref="GELU"/>: the derivative's 1 + x(1 - σ)
/// cancels near x = -1.28, where float arithmetic would lose most of its digits. The vector forms
/// evaluate the same double expressions with the vector exponential: within 1 ulp of the scalar ones.
/// </remarks>
public sealed class SiLU : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = x / (1 + e^-x), in double.</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => (float)(x / (1 + Math.Exp(-(double)x)));

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var (lo, hi) = Vector512.Widen(x);
            return Vector512.Narrow(lo / (Vector512<double>.One + Vector512.Exp(-lo)), hi / (Vector512<double>.One + Vector512.Exp(-hi)));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lo, hi) = Vector256.Widen(x);
            return Vector256.Narrow(lo / (Vector256<double>.One + Vector256.Exp(-lo)), hi / (Vector256<double>.One + Vector256.Exp(-hi)));
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var (lo, hi) = Vector128.Widen(x);
            return Vector128.Narrow(lo / (Vector128<double>.One + Vector128.Exp(-lo)), hi / (Vector128<double>.One + Vector128.Exp(-hi)));
        }
    }

    /// <summary>dL/dx = σ(x) (1 + x (1 - σ(x))) dL/dy, in double.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            double s = 1 / (1 + Math.Exp(-(double)x));
            return (float)(s * (1 + x * (1 - s)) * dy);
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

        private static Vector512<double> Derivative(Vector512<double> x)
        {
            var s = Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-x));
            return s * (Vector512<double>.One + x * (Vector512<double>.One - s));
        }

        private static Vector256<double> Derivative(Vector256<double> x)
        {
            var s = Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-x));
            return s * (Vector256<double>.One + x * (Vector256<double>.One - s));
        }

        private static Vector128<double> Derivative(Vector128<double> x)
        {
            var s = Vector128<double>.One / (Vector128<double>.One + Vector128.Exp(-x));
            return s * (Vector128<double>.One + x * (Vector128<double>.One - s));
        }
    }
}
