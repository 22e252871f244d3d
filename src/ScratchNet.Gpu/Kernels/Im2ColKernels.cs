using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// im2col and col2im as ILGPU kernels: the rearrangement that turns a convolution into one matrix
/// product, with the CPU's layout (<c>ScratchNet.Layers.Im2Col</c>). The patch matrix <c>cols</c> has
/// C·k·k rows and N·P columns (P = OH·OW), dense: row <c>(c·k + i)·k + j</c>, column <c>n·P + oh·OW + ow</c>
/// holds <c>x[n, c, oh·s − p + i, ow·s − p + j]</c>, or 0 in the padding. Then <c>Y = W · cols</c> with W seen as
/// (O, C·k·k), <c>dW = dY · colsᵀ</c> and <c>dx = col2im(Wᵀ · dY)</c>, dY seen as (O, N·P).
/// </summary>
/// <remarks>
/// One thread per value written; col2im gathers (each input pixel adds up its own column entries in
/// the order (i, j)), so there are no float atomics and the bits do not depend on scheduling.
/// Launch them through <see cref="Im2ColLauncher"/>.
/// </remarks>
public static class Im2ColKernels
{
    /// <summary>
    /// im2col, thread t = row · N·P + column: <c>cols[t] = x[n, c, oh·s − p + i, ow·s − p + j]</c>, 0 in the padding,
    /// with row = (c·k + i)·k + j and column = n·P + oh·OW + ow.
    /// </summary>
    public static void Pack(Index1D t, ConvShape s, ArrayView<float> x, ArrayView<float> cols)
    {
        int columns = s.ColumnCount, plane = s.OutHeight * s.OutWidth, k = s.Kernel;
        int row = t / columns, column = t % columns;
        int j = row % k, i = row / k % k, c = row / (k * k);
        int n = column / plane, q = column % plane, oh = q / s.OutWidth, ow = q % s.OutWidth;
        int ih = oh * s.Stride - s.Padding + i, iw = ow * s.Stride - s.Padding + j;
        cols[t] = ih < 0 || ih >= s.Height || iw < 0 || iw >= s.Width ? 0f : x[((n * s.Channels + c) * s.Height + ih) * s.Width + iw];
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Pack"/>, thread t = ((n·C + c)·H + ih)·W + iw:
    /// <c>dx[t] = Σ_i Σ_j cols[(c·k + i)·k + j, n·P + oh·OW + ow]</c> over the (i, j) with
    /// <c>oh = (ih + p − i) / s</c> and <c>ow = (iw + p − j) / s</c> whole and inside the output.
    /// </summary>
    public static void Unpack(Index1D t, ConvShape s, ArrayView<float> cols, ArrayView<float> dx)
    {
        int iw = t % s.Width, ih = t / s.Width % s.Height;
        int c = t / (s.Width * s.Height) % s.Channels, n = t / (s.Width * s.Height * s.Channels);
        int k = s.Kernel, columns = s.ColumnCount, plane = s.OutHeight * s.OutWidth;
        float sum = 0f;
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
                sum += cols[((c * k + i) * k + j) * columns + n * plane + oh * s.OutWidth + ow];
            }
        }
        dx[t] = sum;
    }

    /// <summary>
    /// From the product's layout to NCHW, thread t = (n·O + o)·P + q:
    /// <c>y[n, o, q] = Y[o, n·P + q] + b[o]</c>, with b = 0 when <paramref name="hasBias"/> is 0.
    /// </summary>
    public static void ColumnsToBatch(Index1D t, ConvShape s, ArrayView<float> product, ArrayView<float> b, int hasBias, ArrayView<float> y)
    {
        int plane = s.OutHeight * s.OutWidth, q = t % plane, o = t / plane % s.OutChannels, n = t / (plane * s.OutChannels);
        y[t] = product[o * s.ColumnCount + n * plane + q] + (hasBias != 0 ? b[o] : 0f);
    }

    /// <summary>From NCHW to the product's layout, thread t = o·N·P + n·P + q: <c>dY[o, n·P + q] = dy[n, o, q]</c>.</summary>
    public static void BatchToColumns(Index1D t, ConvShape s, ArrayView<float> dy, ArrayView<float> columns)
    {
        int plane = s.OutHeight * s.OutWidth, o = t / s.ColumnCount, column = t % s.ColumnCount;
        int n = column / plane, q = column % plane;
        columns[t] = dy[(n * s.OutChannels + o) * plane + q];
    }
}
