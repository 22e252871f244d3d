using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Exponential linear unit: y = x for x &gt; 0, else α (eˣ - 1); dy/dx = 1 for x &gt; 0, else α eˣ = y + α.
/// </summary>
/// <remarks>
/// The vector forms use the vector exponential (within 2 ulps of MathF.Exp): for x ≤ 0 the
/// result is within 2.4e-7 α (2 ulps of eˣ ≤ 1) and an ulp of the scalar α (MathF.Exp(x) − 1).
/// </remarks>
public sealed class ELU : Activation, IPiecewiseLayer
{
    /// <summary>Which inputs of the last forward pass were positive (the kink is at 0).</summary>
    public ulong RegionFingerprint() => RegionHash.PositivePattern(LastInput);

    /// <summary>An ELU whose negative side saturates at -<paramref name="alpha"/>.</summary>
    public ELU(float alpha = 1f)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), $"ELU: alpha must be finite (got {alpha}).");
        Alpha = alpha;
    }

    /// <summary>The negative saturation value's magnitude.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("ELU", new Dictionary<string, string> { ["alpha"] = SpecText.Float(Alpha) });

    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => Vectorized.Transform(new Function(Alpha), input.Span, output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        Vectorized.Transform(new Gradient(Alpha), input.Span, output.Span, gradOutput.Span, gradInput.Span);

    /// <summary>y = x for x &gt; 0, else α (eˣ − 1). (eˣ overflows for large positive x, where it is not used.)</summary>
    internal readonly struct Function(float alpha) : IUnaryOperator
    {
        private readonly float _alpha = alpha;
        public float Invoke(float x) => x > 0f ? x : _alpha * (MathF.Exp(x) - 1f);
        public Vector512<float> Invoke(Vector512<float> x) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(_alpha) * (Vector512.Exp(x) - Vector512<float>.One));
        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(_alpha) * (Vector256.Exp(x) - Vector256<float>.One));
        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128.Create(_alpha) * (Vector128.Exp(x) - Vector128<float>.One));
    }

    /// <summary>dL/dx = dL/dy for x &gt; 0, else (y + α) dL/dy.</summary>
    internal readonly struct Gradient(float alpha) : ITernaryOperator
    {
        private readonly float _alpha = alpha;
        public float Invoke(float x, float y, float dy) => x > 0f ? dy : (y + _alpha) * dy;
        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> dy) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, (y + Vector512.Create(_alpha)) * dy);
        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> dy) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, (y + Vector256.Create(_alpha)) * dy);
        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> dy) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy, (y + Vector128.Create(_alpha)) * dy);
    }
}
