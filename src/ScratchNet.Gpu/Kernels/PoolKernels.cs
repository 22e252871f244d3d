using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Pooling over NCHW batches as ILGPU kernels, the same as the CPU layers: <c>MaxPool2D</c>,
/// <c>y[n, c, oh, ow] = max_{i,j} x[n, c, oh·s + i, ow·s + j]</c>, the gradient going to each window's winner;
/// <c>AvgPool2D</c>, <c>y[n, c, oh, ow] = (1/size²) Σ_{i,j} x[n, c, oh·s + i, ow·s + j]</c>, each dy spread as dy/size²
/// over its window; <c>GlobalAveragePool</c>, <c>y[n, c] = (1/(H·W)) Σ_{h,w} x[n, c, h, w]</c>, <c>dx = dy[n, c]/(H·W)</c>.
/// </summary>
/// <remarks>
/// Ties: the first maximum in row-major window order wins (a strict &gt; scan), and NaN never wins a
/// comparison, exactly as the CPU layer. The backward passes gather (each input pixel sums the outputs
/// whose windows hold it, in (oh, ow) order) instead of scattering, so overlapping windows need no atomics
/// and the bits do not depend on scheduling. Each sum takes its terms in the CPU layer's order with the
/// CPU layer's types (float for a window, double for a whole plane), so on ILGPU's CPU accelerator the
/// averages are the CPU layers' bits. Launch them through <see cref="PoolLauncher"/>.
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

    /// <summary>
    /// Average forward, thread t = ((n·C + c)·OH + oh)·OW + ow: <c>y[t] = (Σ_{i,j} x[n, c, oh·s + i, ow·s + j])·(1/size²)</c>,
    /// summed in float in row-major window order.
    /// </summary>
    public static void AvgForward(Index1D t, PoolShape s, ArrayView<float> x, ArrayView<float> y)
    {
        int ow = t % s.OutWidth, oh = t / s.OutWidth % s.OutHeight, plane = t / (s.OutWidth * s.OutHeight);
        int rowStart = (plane * s.Height + oh * s.Stride) * s.Width + ow * s.Stride;
        float scale = 1f / (s.Size * s.Size);
        float sum = 0f;
        for (int i = 0; i < s.Size; i++)
        {
            int row = rowStart + i * s.Width;
            for (int j = 0; j < s.Size; j++) sum += x[row + j];
        }
        y[t] = sum * scale;
    }

    /// <summary>
    /// Average dL/dx, thread t = ((n·C + c)·H + h)·W + w: <c>dx[t] = Σ dy[n, c, oh, ow]·(1/size²)</c> over the windows
    /// (oh, ow) that contain (h, w), in (oh, ow) order (0 for a pixel no window holds).
    /// </summary>
    public static void AvgBackward(Index1D t, PoolShape s, ArrayView<float> dy, ArrayView<float> dx)
    {
        int w = t % s.Width, h = t / s.Width % s.Height, plane = t / (s.Width * s.Height);
        int ohLo = h < s.Size ? 0 : (h - s.Size) / s.Stride + 1, ohHi = h / s.Stride;
        int owLo = w < s.Size ? 0 : (w - s.Size) / s.Stride + 1, owHi = w / s.Stride;
        if (ohHi >= s.OutHeight) ohHi = s.OutHeight - 1;
        if (owHi >= s.OutWidth) owHi = s.OutWidth - 1;
        float scale = 1f / (s.Size * s.Size);
        float sum = 0f;
        for (int oh = ohLo; oh <= ohHi; oh++)
            for (int ow = owLo; ow <= owHi; ow++)
                sum += dy[(plane * s.OutHeight + oh) * s.OutWidth + ow] * scale;
        dx[t] = sum;
    }

    /// <summary>Global average forward, thread t = n·C + c: <c>y[t] = (float)(Σ_q x[t·P + q] / P)</c>, summed in double in order of q.</summary>
    public static void GlobalAvgForward(Index1D t, int plane, ArrayView<float> x, ArrayView<float> y)
    {
        int start = t * plane;
        double sum = 0;
        for (int q = 0; q < plane; q++) sum += x[start + q];
        y[t] = (float)(sum / plane);
    }

    /// <summary>Global average dL/dx, thread i: <c>dx[i] = dy[i / P] / P</c>.</summary>
    public static void GlobalAvgBackward(Index1D i, int plane, ArrayView<float> dy, ArrayView<float> dx) => dx[i] = dy[i / plane] / plane;
}
