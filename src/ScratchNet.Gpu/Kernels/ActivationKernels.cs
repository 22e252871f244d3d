using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Element-wise activations on a device, forward y = f(x) and backward dx = f'(·)·dy, the same formulas
/// as the layers in <c>ScratchNet.Layers.Activations</c>:
/// <code>
/// Identity   f = x                     dx = dy
/// ReLU       f = max(x, 0)             dx = x &gt; 0 ? dy : 0
/// LeakyReLU  f = x &gt; 0 ? x : αx        dx = x &gt; 0 ? dy : α·dy
/// Sigmoid    f = 1 / (1 + e^-x)        dx = y(1 - y)·dy
/// Tanh       f = tanh x                dx = (1 - y)(1 + y)·dy
/// GELU       f = x·Φ(x)                dx = (Φ(x) + x·φ(x))·dy,  Φ(x) = erfc(-x/√2)/2 (in double)
/// </code>
/// One thread per element. Backward may write into dy's own view (dx = dy in place).
/// </summary>
internal sealed class ActivationKernels
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, float, int, int> _forward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, int, int> _backward;

    /// <summary>Compiles the kernels for <paramref name="accelerator"/>.</summary>
    public ActivationKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _forward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, float, int, int>(ForwardKernel);
        _backward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, int, int>(BackwardKernel);
    }

    /// <summary>y[i] = f(x[i]) for i &lt; <paramref name="count"/>.</summary>
    public void Forward(ActivationKind kind, float alpha, ArrayView<float> x, ArrayView<float> y, int count)
    {
        if (x.Length < count || y.Length < count) throw new ArgumentException($"Activation {kind}: {count} values, views of {x.Length} and {y.Length}.");
        if (count == 0) return;
        int threads = Launch.Threads(_accelerator, count);
        _forward(threads, x, y, (int)kind, alpha, count, threads);
    }

    /// <summary>dx[i] = f'(x[i] or y[i])·dy[i] for i &lt; <paramref name="count"/>, from the forward pass's input x and output y.</summary>
    public void Backward(ActivationKind kind, float alpha, ArrayView<float> x, ArrayView<float> y, ArrayView<float> gradOutput, ArrayView<float> gradInput, int count)
    {
        if (x.Length < count || y.Length < count || gradOutput.Length < count || gradInput.Length < count)
            throw new ArgumentException($"Activation {kind} backward: {count} values, a view is shorter.");
        if (count == 0) return;
        int threads = Launch.Threads(_accelerator, count);
        _backward(threads, x, y, gradOutput, gradInput, (int)kind, alpha, count, threads);
    }

    private static void ForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, int kind, float alpha, int count, int stride)
    {
        for (int i = index; i < count; i += stride) y[i] = Function(x[i], kind, alpha);
    }

    private static float Function(float v, int kind, float alpha) =>
        (ActivationKind)kind switch
        {
            ActivationKind.ReLU => MathF.Max(v, 0f),
            ActivationKind.LeakyReLU => v > 0f ? v : alpha * v,
            ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-v)),
            ActivationKind.Tanh => MathF.Tanh(v),
            ActivationKind.GELU => (float)(v * NormalCdf(v)),
            _ => v,
        };

    private static void BackwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int kind, float alpha, int count, int stride)
    {
        for (int i = index; i < count; i += stride) Gradient(i, x, y, dy, dx, kind, alpha);
    }

    private static void Gradient(int i, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int kind, float alpha)
    {
        float g = dy[i];
        switch ((ActivationKind)kind)
        {
            case ActivationKind.ReLU: dx[i] = x[i] > 0f ? g : 0f; break;
            case ActivationKind.LeakyReLU: dx[i] = x[i] > 0f ? g : alpha * g; break;
            case ActivationKind.Sigmoid: { float s = y[i]; dx[i] = s * (1f - s) * g; break; }
            case ActivationKind.Tanh: { float t = y[i]; dx[i] = (1f - t) * (1f + t) * g; break; }
            case ActivationKind.GELU: { double v = x[i]; dx[i] = (float)((NormalCdf(v) + v * NormalPdf(v)) * g); break; }
            default: dx[i] = g; break;
        }
    }

    /// <summary>Φ(x) = erfc(-x/√2)/2, erfc by the Chebyshev fit of Numerical Recipes (|error| &lt; 1.2e-7), as the host's GELU.</summary>
    private static double NormalCdf(double x) => 0.5 * Erfc(-x * 0.70710678118654752);

    /// <summary>φ(x) = e^(-x²/2) / √(2π).</summary>
    private static double NormalPdf(double x) => 0.39894228040143268 * Math.Exp(-0.5 * x * x);

    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
