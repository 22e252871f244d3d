using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Direct 2-D convolution over NCHW batches as ILGPU kernels, one thread per value written, the same
/// cross-correlation as <c>Conv2D</c> and <c>ConvolutionReference</c> on the CPU:
/// <c>y[n, o, oh, ow] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</c>,
/// x read as 0 outside the image.
/// </summary>
/// <remarks>
/// Every kernel gathers: each thread owns one output value and sums its terms itself in a fixed order,
/// so no two threads write the same place, no float atomics are needed, and the result is the same
/// bits on every run and whatever the launch's grouping. Sums are in float, as the CPU fast path's.
/// Launch them through <see cref="ConvLauncher"/>.
/// </remarks>
public static class ConvKernels
{
    /// <summary>
    /// Forward, thread t = ((n·O + o)·OH + oh)·OW + ow:
    /// <c>y[t] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</c>
    /// (c, then i, then j), with b = 0 when <paramref name="hasBias"/> is 0.
    /// </summary>
    public static void Forward(Index1D t, ConvShape s, ArrayView<float> x, ArrayView<float> w, ArrayView<float> b, int hasBias, ArrayView<float> y)
    {
        int ow = t % s.OutWidth, oh = t / s.OutWidth % s.OutHeight;
        int o = t / (s.OutWidth * s.OutHeight) % s.OutChannels, n = t / (s.OutWidth * s.OutHeight * s.OutChannels);
        int k = s.Kernel, h0 = oh * s.Stride - s.Padding, w0 = ow * s.Stride - s.Padding;
        float sum = hasBias != 0 ? b[o] : 0f;
        for (int c = 0; c < s.Channels; c++)
        {
            int xPlane = (n * s.Channels + c) * s.Height, wBase = (o * s.Channels + c) * k;
            for (int i = 0; i < k; i++)
            {
                int ih = h0 + i;
                if (ih < 0 || ih >= s.Height) continue;
                for (int j = 0; j < k; j++)
                {
                    int iw = w0 + j;
                    if (iw < 0 || iw >= s.Width) continue;
                    sum += w[(wBase + i) * k + j] * x[(xPlane + ih) * s.Width + iw];
                }
            }
        }
        y[t] = sum;
    }

    /// <summary>
    /// dL/dx, thread t = ((n·C + c)·H + ih)·W + iw, gathering every output its pixel fed:
    /// <c>dx[t] = Σ_o Σ_i Σ_j dy[n, o, oh, ow] · W[o, c, i, j]</c> over the (i, j) with
    /// <c>oh = (ih + p − i) / s</c> and <c>ow = (iw + p − j) / s</c> whole and inside the output.
    /// </summary>
    public static void BackwardInput(Index1D t, ConvShape s, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx)
    {
        int iw = t % s.Width, ih = t / s.Width % s.Height;
        int c = t / (s.Width * s.Height) % s.Channels, n = t / (s.Width * s.Height * s.Channels);
        int k = s.Kernel;
        float sum = 0f;
        for (int o = 0; o < s.OutChannels; o++)
        {
            int yPlane = (n * s.OutChannels + o) * s.OutHeight, wBase = (o * s.Channels + c) * k;
            for (int i = 0; i < k; i++)
            {
                int hs = ih + s.Padding - i;
                if (hs < 0 || hs % s.Stride != 0) continue;
                int oh = hs / s.Stride;
                if (oh >= s.OutHeight) continue;
                for (int j = 0; j < k; j++)
                {
                    int ws = iw + s.Padding - j;
                    if (ws < 0 || ws % s.Stride != 0) continue;
                    int ow = ws / s.Stride;
                    if (ow >= s.OutWidth) continue;
                    sum += dy[(yPlane + oh) * s.OutWidth + ow] * w[(wBase + i) * k + j];
                }
            }
        }
        dx[t] = sum;
    }

    /// <summary>
    /// dL/dW, thread t = ((o·C + c)·k + i)·k + j:
    /// <c>dW[t] = Σ_n Σ_oh Σ_ow dy[n, o, oh, ow] · x[n, c, oh·s − p + i, ow·s − p + j]</c> (padding terms are 0).
    /// </summary>
    public static void BackwardWeight(Index1D t, ConvShape s, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw)
    {
        int k = s.Kernel, j = t % k, i = t / k % k, c = t / (k * k) % s.Channels, o = t / (k * k * s.Channels);
        float sum = 0f;
        for (int n = 0; n < s.Batch; n++)
        {
            int xPlane = (n * s.Channels + c) * s.Height, yPlane = (n * s.OutChannels + o) * s.OutHeight;
            for (int oh = 0; oh < s.OutHeight; oh++)
            {
                int ih = oh * s.Stride - s.Padding + i;
                if (ih < 0 || ih >= s.Height) continue;
                for (int ow = 0; ow < s.OutWidth; ow++)
                {
                    int iw = ow * s.Stride - s.Padding + j;
                    if (iw < 0 || iw >= s.Width) continue;
                    sum += dy[(yPlane + oh) * s.OutWidth + ow] * x[(xPlane + ih) * s.Width + iw];
                }
            }
        }
        dw[t] = sum;
    }

    /// <summary>dL/db, thread o: <c>db[o] = Σ_n Σ_oh Σ_ow dy[n, o, oh, ow]</c>.</summary>
    public static void BackwardBias(Index1D o, ConvShape s, ArrayView<float> dy, ArrayView<float> db)
    {
        int plane = s.OutHeight * s.OutWidth;
        float sum = 0f;
        for (int n = 0; n < s.Batch; n++)
        {
            int start = (n * s.OutChannels + o) * plane;
            for (int q = 0; q < plane; q++) sum += dy[start + q];
        }
        db[o] = sum;
    }
}
