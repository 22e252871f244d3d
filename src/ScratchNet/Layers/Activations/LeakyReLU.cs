using System.Numerics;
using System.Runtime.InteropServices;
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

    public override LayerSpec Spec => new("LeakyReLU", new Dictionary<string, string> { ["alpha"] = SpecText.Float(Alpha) });

    protected override void Apply(Tensor input, Tensor output)
    {
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = output.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            var alpha = new Vector<float>(Alpha);
            for (int v = 0; v < xv.Length; v++)
                yv[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), xv[v], alpha * xv[v]);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : Alpha * x[i];
    }

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ReadOnlySpan<float> x = input.Span, dy = gradOutput.Span;
        Span<float> dx = gradInput.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var dyv = MemoryMarshal.Cast<float, Vector<float>>(dy);
            var dxv = MemoryMarshal.Cast<float, Vector<float>>(dx);
            var alpha = new Vector<float>(Alpha);
            for (int v = 0; v < xv.Length; v++)
                dxv[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), dyv[v], alpha * dyv[v]);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : Alpha * dy[i];
    }
}
