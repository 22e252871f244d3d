using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>Logistic sigmoid: y = σ(x) = 1 / (1 + e^-x); dy/dx = y (1 - y).</summary>
/// <remarks>
/// The vector forms use the vector exponential (within 2 ulps of MathF.Exp), which puts σ within
/// 4 ulps of the scalar 1 / (1 + MathF.Exp(−x)).
/// </remarks>
public sealed class Sigmoid : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(), output.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = 1 / (1 + e^-x): 0 below about −88.7 (e^-x overflows), 1 above about 17.</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
        public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
        public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
        public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
    }

    /// <summary>dL/dx = y (1 − y) dL/dy.</summary>
    /// <remarks>Not y − y²: near y = 1 the rounding of y² would be most of the difference.</remarks>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float y, float dy) => y * (1f - y) * dy;
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => y * (Vector512<float>.One - y) * dy;
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => y * (Vector256<float>.One - y) * dy;
        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => y * (Vector128<float>.One - y) * dy;
    }
}
