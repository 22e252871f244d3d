using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Layers;

/// <summary>
/// im2col and col2im: the rearrangement that turns a convolution into one matrix product.
/// </summary>
/// <remarks>
/// For a batch of N samples the patch matrix <c>cols</c> has <c>C*k*k</c> rows and <c>N*P</c> columns
/// (P = OutHeight*OutWidth): row <c>(c*k + i)*k + j</c>, column <c>n*P + oh*OutWidth + ow</c> holds
/// <c>x[n, c, oh*stride - padding + i, ow*stride - padding + j]</c>, or 0 where that falls in the padding.
/// Then <c>Y = W * cols</c> with W seen as (outC, C*k*k). col2im is its adjoint: it adds each column entry
/// back onto the input pixel it was copied from.
/// </remarks>
internal static class Im2Col
{
    private readonly record struct PackState(float[] Input, int InputOffset, int Batch, ConvGeometry G, float[] Cols, int ColOffset, int RowStride);

    /// <summary>
    /// Fills columns [colOffset, colOffset + N*P) of the patch matrix <paramref name="cols"/> (C*k*k rows
    /// <paramref name="rowStride"/> floats apart) from the N samples of <paramref name="input"/> (N, C, H, W).
    /// </summary>
    public static void Pack(float[] input, int inputOffset, int batch, ConvGeometry g, float[] cols, int colOffset, int rowStride)
    {
        ConvParallel.For(g.PatchLength, (long)batch * g.OutPlane, new PackState(input, inputOffset, batch, g, cols, colOffset, rowStride),
            static (s, start, end) =>
            {
                for (int row = start; row < end; row++) PackRow(s.Input, s.InputOffset, s.Batch, s.G, s.Cols, s.ColOffset + row * s.RowStride, row);
            });
    }

    private static void PackRow(float[] input, int inputOffset, int batch, ConvGeometry g, float[] cols, int rowStart, int row)
    {
        int k = g.Kernel, c = row / (k * k), i = row / k % k, j = row % k;
        int outH = g.OutHeight, outW = g.OutWidth, plane = g.InPlane, p = g.OutPlane, s = g.Stride;
        // Output columns ow whose input column iw = ow*s - pad + j lies inside [0, W).
        int owLo = Math.Max(0, CeilDiv(g.Padding - j, s));
        int owHi = Math.Min(outW, CeilDiv(g.Width + g.Padding - j, s)); // exclusive
        if (owHi < owLo) owHi = owLo;
        var dst = cols.AsSpan(rowStart, batch * p);
        for (int n = 0; n < batch; n++)
        {
            int src0 = inputOffset + (n * g.Channels + c) * plane;
            for (int oh = 0; oh < outH; oh++)
            {
                var d = dst.Slice(n * p + oh * outW, outW);
                int ih = oh * s - g.Padding + i;
                if ((uint)ih >= (uint)g.Height || owHi == owLo) { d.Clear(); continue; }
                if (owLo > 0) d[..owLo].Clear();
                if (owHi < outW) d[owHi..].Clear();
                int srcRow = src0 + ih * g.Width - g.Padding + j;
                if (s == 1)
                {
                    // Rows are short (8 to 24 floats in the small CNN): a call to memmove per row costs
                    // more than the copy, so copy inline. Both ranges were bounds-checked above.
                    Copy(ref input[srcRow + owLo], ref d[owLo], owHi - owLo);
                }
                else
                {
                    for (int ow = owLo; ow < owHi; ow++) d[ow] = input[srcRow + ow * s];
                }
            }
        }
    }

    /// <summary>
    /// Overwrites <paramref name="output"/> (N, C, H, W) with col2im of the patch matrix <paramref name="cols"/>
    /// (C*k*k rows <paramref name="rowStride"/> floats apart, N*P columns): each input pixel receives the
    /// sum of the column entries copied from it, added in the fixed order (kernel row, kernel column,
    /// output row, output column).
    /// </summary>
    /// <remarks>Runs on the calling thread: the layer gives each thread its own chunk of samples.</remarks>
    public static void Unpack(float[] cols, int rowStride, int batch, ConvGeometry g, float[] output, int outputOffset)
    {
        for (int planeIndex = 0; planeIndex < batch * g.Channels; planeIndex++) UnpackPlane(cols, rowStride, g, output, outputOffset, planeIndex);
    }

    private static void UnpackPlane(float[] cols, int rowLength, ConvGeometry g, float[] output, int outputOffset, int planeIndex)
    {
        int n = planeIndex / g.Channels, c = planeIndex % g.Channels;
        int k = g.Kernel, outH = g.OutHeight, outW = g.OutWidth, p = g.OutPlane, s = g.Stride;
        var dst = output.AsSpan(outputOffset + planeIndex * g.InPlane, g.InPlane);
        dst.Clear();
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                int row = (c * k + i) * k + j;
                int owLo = Math.Max(0, CeilDiv(g.Padding - j, s));
                int owHi = Math.Min(outW, CeilDiv(g.Width + g.Padding - j, s));
                if (owHi <= owLo) continue;
                var src = cols.AsSpan(row * rowLength + n * p, p);
                int ohLo = Math.Max(0, CeilDiv(g.Padding - i, s));
                int ohHi = Math.Min(outH, CeilDiv(g.Height + g.Padding - i, s));
                if (ohHi <= ohLo) continue;
                if (s == 1)
                {
                    // Checked once here: rows ohLo..ohHi-1 of this tap land inside the plane.
                    int count = owHi - owLo;
                    ref float from = ref src[ohLo * outW + owLo];
                    ref float to = ref dst[(ohLo - g.Padding + i) * g.Width - g.Padding + j + owLo];
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        AddTo(ref from, ref to, count);
                        from = ref Unsafe.Add(ref from, outW);
                        to = ref Unsafe.Add(ref to, g.Width);
                    }
                }
                else
                {
                    for (int oh = ohLo; oh < ohHi; oh++)
                    {
                        int dstRow = (oh * s - g.Padding + i) * g.Width - g.Padding + j;
                        var from = src.Slice(oh * outW, outW);
                        for (int ow = owLo; ow < owHi; ow++) dst[dstRow + ow * s] += from[ow];
                    }
                }
            }
        }
    }

    /// <summary>dst[0..count) = src[0..count); the caller guarantees both ranges are in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float src, ref float dst, int count)
    {
        int i = 0;
        for (; i + Vector256<float>.Count <= count; i += Vector256<float>.Count)
            Vector256.LoadUnsafe(ref src, (nuint)i).StoreUnsafe(ref dst, (nuint)i);
        for (; i < count; i++) Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
    }

    /// <summary>dst[0..count) += src[0..count); the caller guarantees both ranges are in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref float src, ref float dst, int count)
    {
        int i = 0;
        for (; i + Vector256<float>.Count <= count; i += Vector256<float>.Count)
            (Vector256.LoadUnsafe(ref dst, (nuint)i) + Vector256.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        for (; i < count; i++) Unsafe.Add(ref dst, i) += Unsafe.Add(ref src, i);
    }

    /// <summary>ceil(a / b) for b > 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -((-a) / b);
}
