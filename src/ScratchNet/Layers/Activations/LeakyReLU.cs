using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>Leaky ReLU: y = x for x &gt; 0, else α x; dy/dx = 1 or α. Keeps a small gradient for negative inputs.</summary>
public sealed class LeakyReLU : Activation, IPiecewiseLayer
{
    /// <summary>Which inputs of the last forward pass were positive (the kink is at 0).</summary>
    public ulong RegionFingerprint() => RegionHash.PositivePattern(LastInput);

    /// <summary>A leaky ReLU with slope <paramref name="alpha"/> for negative inputs.</summary>
    public LeakyReLU(float alpha = 0.01f)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), $"LeakyReLU: alpha must be finite (got {alpha}).");
        Alpha = alpha;
    }

    /// <summary>The slope for x ≤ 0.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("LeakyReLU", new Dictionary<string, string> { ["alpha"] = SpecText.Float(Alpha) });

    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(Alpha), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(Alpha), input.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = x for x &gt; 0, else α x.</summary>
    internal readonly struct Function(float alpha) : IUnaryOperator
    {
        private readonly float _alpha = alpha;
        public float Invoke(float x) => x > 0f ? x : _alpha * x;
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(_alpha) * x);
        public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(_alpha) * x);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128.Create(_alpha) * x);
    }

    /// <summary>dL/dx = dL/dy for x &gt; 0, else α dL/dy.</summary>
    internal readonly struct Gradient(float alpha) : IBinaryOperator
    {
        private readonly float _alpha = alpha;
        public float Invoke(float x, float dy) => x > 0f ? dy : _alpha * dy;
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512.Create(_alpha) * dy);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256.Create(_alpha) * dy);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy, Vector128.Create(_alpha) * dy);
    }
}
