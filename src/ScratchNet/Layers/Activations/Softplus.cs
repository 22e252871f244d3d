using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Softplus, a smooth ReLU: y = log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so that no
/// exponential overflows; dy/dx = σ(x) = 1 / (1 + e^-x).
/// </summary>
/// <remarks>
/// Computed in double and rounded to float once, as <see cref="GELU"/>. log1p(t) is log(1 + t), or its
/// series t − t²/2 + t³/3 when t &lt; 2⁻¹² (where 1 + t would lose t's digits: without it softplus(−50) =
/// e⁻⁵⁰ would come out 0). The vector forms evaluate the same double expressions with the vector
/// exponential and logarithm: within 1 ulp of the scalar ones.
/// </remarks>
public sealed class Softplus : Activation
{
    private const double Small = 1.0 / 4096;

    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = max(x, 0) + log1p(e^-|x|), in double.</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x)
        {
            double t = Math.Exp(-Math.Abs((double)x));
            double log1p = t < Small ? t * (1 - t * (0.5 - t * (1.0 / 3))) : Math.Log(1 + t);
            return (float)(Math.Max(x, 0.0) + log1p);
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var (lo, hi) = Vector512.Widen(x);
            return Vector512.Narrow(Value(lo), Value(hi));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lo, hi) = Vector256.Widen(x);
            return Vector256.Narrow(Value(lo), Value(hi));
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var (lo, hi) = Vector128.Widen(x);
            return Vector128.Narrow(Value(lo), Value(hi));
        }

        private static Vector512<double> Value(Vector512<double> x)
        {
            var t = Vector512.Exp(-Vector512.Abs(x));
            var series = t * (Vector512<double>.One - t * (Vector512.Create(0.5) - t * Vector512.Create(1.0 / 3)));
            var log1p = Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(Small)), series, Vector512.Log(Vector512<double>.One + t));
            return Vector512.Max(x, Vector512<double>.Zero) + log1p;
        }

        private static Vector256<double> Value(Vector256<double> x)
        {
            var t = Vector256.Exp(-Vector256.Abs(x));
            var series = t * (Vector256<double>.One - t * (Vector256.Create(0.5) - t * Vector256.Create(1.0 / 3)));
            var log1p = Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(Small)), series, Vector256.Log(Vector256<double>.One + t));
            return Vector256.Max(x, Vector256<double>.Zero) + log1p;
        }

        private static Vector128<double> Value(Vector128<double> x)
        {
            var t = Vector128.Exp(-Vector128.Abs(x));
            var series = t * (Vector128<double>.One - t * (Vector128.Create(0.5) - t * Vector128.Create(1.0 / 3)));
            var log1p = Vector128.ConditionalSelect(Vector128.LessThan(t, Vector128.Create(Small)), series, Vector128.Log(Vector128<double>.One + t));
            return Vector128.Max(x, Vector128<double>.Zero) + log1p;
        }
    }

    /// <summary>dL/dx = σ(x) dL/dy, in double.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float x, float dy) => (float)(dy / (1 + Math.Exp(-(double)x)));

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var (xl, xh) = Vector512.Widen(x);
            var (gl, gh) = Vector512.Widen(dy);
            return Vector512.Narrow(gl / (Vector512<double>.One + Vector512.Exp(-xl)), gh / (Vector512<double>.One + Vector512.Exp(-xh)));
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var (xl, xh) = Vector256.Widen(x);
            var (gl, gh) = Vector256.Widen(dy);
            return Vector256.Narrow(gl / (Vector256<double>.One + Vector256.Exp(-xl)), gh / (Vector256<double>.One + Vector256.Exp(-xh)));
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var (xl, xh) = Vector128.Widen(x);
            var (gl, gh) = Vector128.Widen(dy);
            return Vector128.Narrow(gl / (Vector128<double>.One + Vector128.Exp(-xl)), gh / (Vector128<double>.One + Vector128.Exp(-xh)));
        }
    }
}
