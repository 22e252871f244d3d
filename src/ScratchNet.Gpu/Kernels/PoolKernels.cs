using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Max pooling over NCHW batches as ILGPU kernels, the same as <c>MaxPool2D</c> on the CPU:
/// <c>y[n, c, oh, ow] = max_{i,j} x[n, c, oh·s + i, ow·s + j]</c>; the gradient goes to each window's winner.
/// </summary>
/// <remarks>
/// Ties: the first maximum in row-major window order wins (a strict &gt; scan), and NaN never wins a
/// comparison, exactly as the CPU layer. The backward pass gathers (each input pixel sums the outputs it
/// won, in (oh, ow) order) instead of scattering, so overlapping windows need no atomics and the bits
/// do not depend on scheduling. Launch them through <see cref="PoolLauncher"/>.
/// </remarks>
public static class PoolKernels
{
    /// <summary>
    /// Forward, thread t = ((n·C + c)·OH + oh)·OW + ow: <c>y[t] = max_{i,j} x[n, c, oh·s + i, ow·s + j]</c>, and
    /// <c>argMax[t]</c> = the flat index into x of the first maximum in row-major window order.
    /// </summary>
    public static void MaxForward(Index1D t, PoolShape s, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argMax)
    {
        int ow = t % s.OutWidth, oh = t / s.OutWidth % s.OutHeight, plane = t / (s.OutWidth * s.OutHeight);
        int rowStart = (plane * s.Height + oh * s.Stride) * s.Width + ow * s.Stride;
        int best = rowStart;
        float m = x[best];
        for (int i = 0; i < s.Size; i++)
        {
            int row = rowStart + i * s.Width;
            for (int j = 0; j < s.Size; j++)
                if (x[row + j] > m) { m = x[row + j]; best = row + j; }
        }
        y[t] = m;
        argMax[t] = best;
    }

    /// <summary>
    /// dL/dx, thread t = ((n·C + c)·H + h)·W + w: <c>dx[t] = Σ dy[n, c, oh, ow]</c> over the windows (oh, ow) that
    /// contain (h, w) and whose winner <c>argMax</c> is t (0 for a pixel that won nothing).
    /// </summary>
    public static void MaxBackward(Index1D t, PoolShape s, ArrayView<float> dy, ArrayView<int> argMax, ArrayView<float> dx)
    {
        int w = t % s.Width, h = t / s.Width % s.Height, plane = t / (s.Width * s.Height);
        // Windows containing row h: oh·s ≤ h < oh·s + size.
        int ohLo = h < s.Size ? 0 : (h - s.Size) / s.Stride + 1, ohHi = h / s.Stride;
        int owLo = w < s.Size ? 0 : (w - s.Size) / s.Stride + 1, owHi = w / s.Stride;
        if (ohHi >= s.OutHeight) ohHi = s.OutHeight - 1;
        if (owHi >= s.OutWidth) owHi = s.OutWidth - 1;
        float sum = 0f;
        for (int oh = ohLo; oh <= ohHi; oh++)
            for (int ow = owLo; ow <= owHi; ow++)
            {
                int yi = (plane * s.OutHeight + oh) * s.OutWidth + ow;
                if (argMax[yi] == t) sum += dy[yi];
            }
        dx[t] = sum;
    }
}
