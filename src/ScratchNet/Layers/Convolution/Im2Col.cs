using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        bool narrow = Vector512.IsHardwareAccelerated && Avx512F.IsSupported && g.Stride == 1 && g.Padding == 0
            && g.OutWidth == NarrowOutWidth && g.Width <= Vector512<float>.Count;
        if (narrow && (batch * g.Channels == 0 || (long)(g.PatchLength - 1) * rowStride + (long)batch * g.OutPlane > cols.Length
            || (long)outputOffset + (long)batch * g.Channels * g.InPlane > output.Length))
            throw new ArgumentException("Im2Col.Unpack: the patch matrix or the output is shorter than the geometry needs.");
        for (int planeIndex = 0; planeIndex < batch * g.Channels; planeIndex++)
        {
            if (narrow) UnpackNarrowPlane(cols, rowStride, g, output, outputOffset, planeIndex);
            else UnpackPlane(cols, rowStride, g, output, outputOffset, planeIndex);
        }
    }

    /// <summary>The output width <see cref="UnpackNarrowPlane"/> takes: one 256-bit vector per row of a tap.</summary>
    private const int NarrowOutWidth = 8;

    // UnpackPlane adds each tap's rows into the plane in memory, and the next tap (one column to the
    // right) reads back what the last one stored, four bytes off: every such load waits for the store
    // to reach the cache. For input rows of at most 16 (the second mnist-cnn layer: 12, from output rows
    // of 8, stride 1, no padding) each input row is instead summed in one 512-bit register: for tap
    // (i, j) the output row oh = y − i lands in lanes j..j+7 (a permute moves it there, filling the
    // other lanes with +0), and the row is stored once. Each pixel still gets its entries in the order
    // (i, j) from +0, so the bits are UnpackPlane's: adding +0 changes nothing, since a sum that starts
    // at +0 is never −0. Four input rows go at a time, four independent chains of additions.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnpackNarrowPlane(float[] cols, int rowLength, ConvGeometry g, float[] output, int outputOffset, int planeIndex)
    {
        int n = planeIndex / g.Channels, c = planeIndex % g.Channels;
        int k = g.Kernel, outH = g.OutHeight, width = g.Width, height = g.Height;
        ref float src = ref cols[(c * k * k) * rowLength + n * g.OutPlane];
        ref float dst = ref output[outputOffset + planeIndex * g.InPlane];
        // shift[j]: lane l takes lane l − j of a zero-extended row of 8, or lane 8 (+0) outside j..j+7.
        Span<Vector512<int>> shift = stackalloc Vector512<int>[k];
        var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int j = 0; j < k; j++)
        {
            var from = lane - Vector512.Create(j);
            var inside = Vector512.GreaterThanOrEqual(from, Vector512<int>.Zero) & Vector512.LessThan(from, Vector512.Create(NarrowOutWidth));
            shift[j] = Vector512.ConditionalSelect(inside, from, Vector512.Create(NarrowOutWidth));
        }
        for (int y0 = 0; y0 < height; y0 += 4)
        {
            var a0 = Vector512<float>.Zero; var a1 = Vector512<float>.Zero; var a2 = Vector512<float>.Zero; var a3 = Vector512<float>.Zero;
            for (int i = 0; i < k; i++)
            {
                ref float tapRow = ref Unsafe.Add(ref src, (nint)(i * k) * rowLength);
                int oh0 = y0 - i;
                for (int j = 0; j < k; j++)
                {
                    ref float tap = ref Unsafe.Add(ref tapRow, (nint)j * rowLength);
                    var index = shift[j];
                    if ((uint)oh0 < (uint)outH) a0 += Shifted(ref tap, oh0, index);
                    if ((uint)(oh0 + 1) < (uint)outH) a1 += Shifted(ref tap, oh0 + 1, index);
                    if ((uint)(oh0 + 2) < (uint)outH) a2 += Shifted(ref tap, oh0 + 2, index);
                    if ((uint)(oh0 + 3) < (uint)outH) a3 += Shifted(ref tap, oh0 + 3, index);
                }
            }
            StoreRow(a0, ref dst, y0, width, height);
            StoreRow(a1, ref dst, y0 + 1, width, height);
            StoreRow(a2, ref dst, y0 + 2, width, height);
            StoreRow(a3, ref dst, y0 + 3, width, height);
        }
    }

    /// <summary>Output row <paramref name="oh"/> of a tap (8 floats), moved to the lanes <paramref name="index"/> names.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Shifted(ref float tap, int oh, Vector512<int> index) =>
        Avx512F.PermuteVar16x32(Vector512.Create(Vector256.LoadUnsafe(ref tap, (nuint)(oh * NarrowOutWidth)), Vector256<float>.Zero), index);

    /// <summary>Lanes 0..width−1 of <paramref name="row"/> into input row <paramref name="y"/>, when it is one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector512<float> row, ref float plane, int y, int width, int height)
    {
        if (y >= height) return;
        ref float to = ref Unsafe.Add(ref plane, y * width);
        if (width == Vector512<float>.Count) { row.StoreUnsafe(ref to); return; }
        row.GetLower().StoreUnsafe(ref to);
        int x = Vector256<float>.Count;
        var upper = row.GetUpper();
        if (width - x >= Vector128<float>.Count) { upper.GetLower().StoreUnsafe(ref to, (nuint)x); x += Vector128<float>.Count; }
        for (; x < width; x++) Unsafe.Add(ref to, x) = row.GetElement(x);
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
