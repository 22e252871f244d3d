using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

// A first convolution over one input channel (mnist-cnn's: 1 → 32, 5x5) has a product
// W (outC x k·k) · cols (k·k x P) per sample whose K = k·k = 25 is too short for the GEMM to pay back
// packing the patches: about 65 GFLOP/s of the 213 one core can do. With one input channel, stride 1
// and no padding, output row oh of channel o is Σ_{i,j} W[o, 0, i, j] · x[oh + i, j : j + OW]: a
// direct kernel reads those input rows in place (a 28 x 28 image stays in L1) and keeps 8 channels x
// 16 columns of two output rows in registers, so each load of x feeds 8 fused multiply-adds and each
// weight 2.
//
// Each output sums its k·k products in the GEMM's order, (i, j) row-major, with fused multiply-adds
// from zero (the 512-bit GEMM kernel's, Gemm.Kernel8x32), so the bits are the GEMM path's. The last
// 16 columns of a row are done as one vector that may overlap the one before: the overlapped columns
// are computed twice, to the same bits.
public sealed partial class Conv2D
{
    /// <summary>Whether <see cref="ForwardDirect"/> computes this layer's product (see above).</summary>
    private bool UsesDirectKernel =>
        _g.Channels == 1 && Stride == 1 && Padding == 0 && _g.OutWidth >= Vector512<float>.Count
        && Gemm.Kernel == Gemm.KernelKind.Vector512x8x32;

    /// <summary>y (outC x OH·OW) = W (outC x k·k) · cols(x), for one sample x (H x W) of one channel; the bits of the GEMM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardDirect(ReadOnlySpan<float> x, int width, ReadOnlySpan<float> weights, int k, int outChannels, int outHeight, int outWidth, Span<float> y)
    {
        int kk = k * k, plane = outHeight * outWidth;
        if (x.Length < (outHeight + k - 1) * width || width < outWidth + k - 1 || weights.Length < outChannels * kk || y.Length < outChannels * plane || outWidth < 16)
            throw new ArgumentException("Conv2D.ForwardDirect: operand sizes do not match the geometry.");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int o = 0;
        for (; o + 8 <= outChannels; o += 8)
        {
            int oh = 0;
            if (outWidth == 24)
                for (; oh + 2 <= outHeight; oh += 2)
                    Block8x2Rows24(ref xr, width, ref Unsafe.Add(ref wr, o * kk), k, oh, ref Unsafe.Add(ref yr, o * plane + oh * outWidth), plane);
            for (; oh + 2 <= outHeight; oh += 2)
                for (int ow = 0; ow < outWidth; ow += 16)
                {
                    int column = Math.Min(ow, outWidth - 16);
                    Block8x2(ref xr, width, ref Unsafe.Add(ref wr, o * kk), k, oh, column, ref Unsafe.Add(ref yr, o * plane + oh * outWidth + column), plane, outWidth);
                }
            for (; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow += 16)
                {
                    int column = Math.Min(ow, outWidth - 16);
                    Block8(ref xr, width, ref Unsafe.Add(ref wr, o * kk), k, oh, column, ref Unsafe.Add(ref yr, o * plane + oh * outWidth + column), plane);
                }
        }
        for (; o < outChannels; o++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow += 16)
                {
                    int column = Math.Min(ow, outWidth - 16);
                    var sum = Vector512<float>.Zero;
                    for (int i = 0; i < k; i++)
                    {
                        ref float row = ref Unsafe.Add(ref xr, (oh + i) * width + column);
                        for (int j = 0; j < k; j++)
                            sum = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref wr, o * kk + i * k + j)), Vector512.LoadUnsafe(ref row, (nuint)j), sum);
                    }
                    sum.StoreUnsafe(ref yr, (nuint)(o * plane + oh * outWidth + column));
                }
    }

    /// <summary>16 columns of one output row, for 8 channels (weights: 8 consecutive filters of k·k; y: channel stride <paramref name="plane"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ref float x, int width, ref float w, int k, int oh, int column, ref float y, int plane)
    {
        int kk = k * k;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int i = 0; i < k; i++)
        {
            ref float row = ref Unsafe.Add(ref x, (oh + i) * width + column);
            for (int j = 0; j < k; j++)
            {
                var v = Vector512.LoadUnsafe(ref row, (nuint)j);
                int t = i * k + j;
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, t)), v, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, kk + t)), v, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 2 * kk + t)), v, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 3 * kk + t)), v, s3);
                s4 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 4 * kk + t)), v, s4);
                s5 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 5 * kk + t)), v, s5);
                s6 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 6 * kk + t)), v, s6);
                s7 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref w, 7 * kk + t)), v, s7);
            }
        }
        s0.StoreUnsafe(ref y);
        s1.StoreUnsafe(ref y, (nuint)plane);
        s2.StoreUnsafe(ref y, (nuint)(2 * plane));
        s3.StoreUnsafe(ref y, (nuint)(3 * plane));
        s4.StoreUnsafe(ref y, (nuint)(4 * plane));
        s5.StoreUnsafe(ref y, (nuint)(5 * plane));
        s6.StoreUnsafe(ref y, (nuint)(6 * plane));
        s7.StoreUnsafe(ref y, (nuint)(7 * plane));
    }

    /// <summary>
    /// Two output rows 24 wide (the first mnist-cnn layer's) of 8 channels in three vectors per channel,
    /// where 16-column blocks need four (the second overlapping the first by 8 columns): columns 0-15 of
    /// each row, and columns 16-23 of both rows side by side in one vector, whose input is the two rows'
    /// last 8 columns loaded and joined. Each output still sums its k·k products in (i, j) order with
    /// fused multiply-adds from zero: the same bits as <see cref="Block8x2"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8x2Rows24(ref float x, int width, ref float w, int k, int oh, ref float y, int plane)
    {
        int kk = k * k;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int i = 0; i < k; i++)
        {
            ref float row = ref Unsafe.Add(ref x, (oh + i) * width);
            ref float next = ref Unsafe.Add(ref row, width);
            for (int j = 0; j < k; j++)
            {
                var u = Vector512.LoadUnsafe(ref row, (nuint)j);
                var v = Vector512.LoadUnsafe(ref next, (nuint)j);
                var t = Vector512.Create(Vector256.LoadUnsafe(ref row, (nuint)(16 + j)), Vector256.LoadUnsafe(ref next, (nuint)(16 + j)));
                int r = i * k + j;
                var c = Vector512.Create(Unsafe.Add(ref w, r));
                a0 = Vector512.FusedMultiplyAdd(c, u, a0); b0 = Vector512.FusedMultiplyAdd(c, v, b0); c0 = Vector512.FusedMultiplyAdd(c, t, c0);
                c = Vector512.Create(Unsafe.Add(ref w, kk + r));
                a1 = Vector512.FusedMultiplyAdd(c, u, a1); b1 = Vector512.FusedMultiplyAdd(c, v, b1); c1 = Vector512.FusedMultiplyAdd(c, t, c1);
                c = Vector512.Create(Unsafe.Add(ref w, 2 * kk + r));
                a2 = Vector512.FusedMultiplyAdd(c, u, a2); b2 = Vector512.FusedMultiplyAdd(c, v, b2); c2 = Vector512.FusedMultiplyAdd(c, t, c2);
                c = Vector512.Create(Unsafe.Add(ref w, 3 * kk + r));
                a3 = Vector512.FusedMultiplyAdd(c, u, a3); b3 = Vector512.FusedMultiplyAdd(c, v, b3); c3 = Vector512.FusedMultiplyAdd(c, t, c3);
                c = Vector512.Create(Unsafe.Add(ref w, 4 * kk + r));
                a4 = Vector512.FusedMultiplyAdd(c, u, a4); b4 = Vector512.FusedMultiplyAdd(c, v, b4); c4 = Vector512.FusedMultiplyAdd(c, t, c4);
                c = Vector512.Create(Unsafe.Add(ref w, 5 * kk + r));
                a5 = Vector512.FusedMultiplyAdd(c, u, a5); b5 = Vector512.FusedMultiplyAdd(c, v, b5); c5 = Vector512.FusedMultiplyAdd(c, t, c5);
                c = Vector512.Create(Unsafe.Add(ref w, 6 * kk + r));
                a6 = Vector512.FusedMultiplyAdd(c, u, a6); b6 = Vector512.FusedMultiplyAdd(c, v, b6); c6 = Vector512.FusedMultiplyAdd(c, t, c6);
                c = Vector512.Create(Unsafe.Add(ref w, 7 * kk + r));
                a7 = Vector512.FusedMultiplyAdd(c, u, a7); b7 = Vector512.FusedMultiplyAdd(c, v, b7); c7 = Vector512.FusedMultiplyAdd(c, t, c7);
            }
        }
        Store24(a0, b0, c0, ref y);
        Store24(a1, b1, c1, ref Unsafe.Add(ref y, plane));
        Store24(a2, b2, c2, ref Unsafe.Add(ref y, 2 * plane));
        Store24(a3, b3, c3, ref Unsafe.Add(ref y, 3 * plane));
        Store24(a4, b4, c4, ref Unsafe.Add(ref y, 4 * plane));
        Store24(a5, b5, c5, ref Unsafe.Add(ref y, 5 * plane));
        Store24(a6, b6, c6, ref Unsafe.Add(ref y, 6 * plane));
        Store24(a7, b7, c7, ref Unsafe.Add(ref y, 7 * plane));
    }

    /// <summary>Two output rows of 24 from columns 0-15 of each and their joined last 8 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store24(Vector512<float> first, Vector512<float> second, Vector512<float> tails, ref float y)
    {
        first.StoreUnsafe(ref y);
        tails.GetLower().StoreUnsafe(ref y, 16);
        second.StoreUnsafe(ref y, 24);
        tails.GetUpper().StoreUnsafe(ref y, 40);
    }

    /// <summary>
    /// <see cref="Block8"/> for two neighbouring output rows at once: each weight loaded once feeds
    /// both rows (the loads, not the multiply-adds, bound the one-row block).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x2(ref float x, int width, ref float w, int k, int oh, int column, ref float y, int plane, int outWidth)
    {
        int kk = k * k;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int i = 0; i < k; i++)
        {
            ref float row = ref Unsafe.Add(ref x, (oh + i) * width + column);
            ref float next = ref Unsafe.Add(ref row, width);
            for (int j = 0; j < k; j++)
            {
                var u = Vector512.LoadUnsafe(ref row, (nuint)j);
                var v = Vector512.LoadUnsafe(ref next, (nuint)j);
                int t = i * k + j;
                var c = Vector512.Create(Unsafe.Add(ref w, t));
                a0 = Vector512.FusedMultiplyAdd(c, u, a0); b0 = Vector512.FusedMultiplyAdd(c, v, b0);
                c = Vector512.Create(Unsafe.Add(ref w, kk + t));
                a1 = Vector512.FusedMultiplyAdd(c, u, a1); b1 = Vector512.FusedMultiplyAdd(c, v, b1);
                c = Vector512.Create(Unsafe.Add(ref w, 2 * kk + t));
                a2 = Vector512.FusedMultiplyAdd(c, u, a2); b2 = Vector512.FusedMultiplyAdd(c, v, b2);
                c = Vector512.Create(Unsafe.Add(ref w, 3 * kk + t));
                a3 = Vector512.FusedMultiplyAdd(c, u, a3); b3 = Vector512.FusedMultiplyAdd(c, v, b3);
                c = Vector512.Create(Unsafe.Add(ref w, 4 * kk + t));
                a4 = Vector512.FusedMultiplyAdd(c, u, a4); b4 = Vector512.FusedMultiplyAdd(c, v, b4);
                c = Vector512.Create(Unsafe.Add(ref w, 5 * kk + t));
                a5 = Vector512.FusedMultiplyAdd(c, u, a5); b5 = Vector512.FusedMultiplyAdd(c, v, b5);
                c = Vector512.Create(Unsafe.Add(ref w, 6 * kk + t));
                a6 = Vector512.FusedMultiplyAdd(c, u, a6); b6 = Vector512.FusedMultiplyAdd(c, v, b6);
                c = Vector512.Create(Unsafe.Add(ref w, 7 * kk + t));
                a7 = Vector512.FusedMultiplyAdd(c, u, a7); b7 = Vector512.FusedMultiplyAdd(c, v, b7);
            }
        }
        nuint p = (nuint)plane, n = (nuint)outWidth;
        a0.StoreUnsafe(ref y); b0.StoreUnsafe(ref y, n);
        a1.StoreUnsafe(ref y, p); b1.StoreUnsafe(ref y, p + n);
        a2.StoreUnsafe(ref y, 2 * p); b2.StoreUnsafe(ref y, 2 * p + n);
        a3.StoreUnsafe(ref y, 3 * p); b3.StoreUnsafe(ref y, 3 * p + n);
        a4.StoreUnsafe(ref y, 4 * p); b4.StoreUnsafe(ref y, 4 * p + n);
        a5.StoreUnsafe(ref y, 5 * p); b5.StoreUnsafe(ref y, 5 * p + n);
        a6.StoreUnsafe(ref y, 6 * p); b6.StoreUnsafe(ref y, 6 * p + n);
        a7.StoreUnsafe(ref y, 7 * p); b7.StoreUnsafe(ref y, 7 * p + n);
    }
}
