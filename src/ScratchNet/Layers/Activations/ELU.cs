using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using ScratchNet.Tensors;
using Tensor = ScratchNet.Tensors.Tensor;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Exponential linear unit: y = x for x &gt; 0, else α (eˣ - 1); dy/dx = 1 for x &gt; 0, else α eˣ = y + α.
/// </summary>
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

    public override LayerSpec Spec => new("ELU", new Dictionary<string, string> { ["alpha"] = SpecText.Float(Alpha) });

    protected override void Apply(Tensor input, Tensor output)
    {
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = output.Span;
        // y = eˣ first (vectorised); positive entries are then replaced by x, so their overflow does not matter.
        TensorPrimitives.Exp(x, y);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            var alpha = new Vector<float>(Alpha);
            for (int v = 0; v < xv.Length; v++)
                yv[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), xv[v], alpha * (yv[v] - Vector<float>.One));
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : Alpha * (y[i] - 1f);
    }

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ReadOnlySpan<float> x = input.Span, y = output.Span, dy = gradOutput.Span;
        Span<float> dx = gradInput.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            var dyv = MemoryMarshal.Cast<float, Vector<float>>(dy);
            var dxv = MemoryMarshal.Cast<float, Vector<float>>(dx);
            var alpha = new Vector<float>(Alpha);
            for (int v = 0; v < xv.Length; v++)
                dxv[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), dyv[v], (yv[v] + alpha) * dyv[v]);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : (y[i] + Alpha) * dy[i];
    }
}
