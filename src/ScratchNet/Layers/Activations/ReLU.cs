using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>Rectified linear unit: y = max(x, 0); dy/dx = 1 for x &gt; 0, else 0 (0 taken at x = 0).</summary>
public sealed class ReLU : Activation, IPiecewiseLayer
{
    /// <summary>Which inputs of the last forward pass were positive (the kink is at 0).</summary>
    public ulong RegionFingerprint() => RegionHash.PositivePattern(LastInput);

    protected override void Apply(Tensor input, Tensor output)
    {
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = output.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < xv.Length; v++) yv[v] = Vector.Max(xv[v], Vector<float>.Zero);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : 0f;
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
            for (int v = 0; v < xv.Length; v++)
                dxv[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), dyv[v], Vector<float>.Zero);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
    }
}
