using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

// A fused Conv2D + ReLU + 2 x 2 max-pool run whose output rows are 8 wide (the second mnist-cnn layer:
// 32 → 64 channels, 12 x 12 → 8 x 8 → 4 x 4). The GEMM path packs every sample's patches (800 x 64
// floats from an 18 KiB input) into panels first, and writes the product out before the bias, the ReLU
// and the pool read it back. Here the roles turn: one output row's 8 pixels are the tile's rows, read
// in place from the input (pixel j of the row at tap (c, i, t) is x[c, oh + i, j + t]: 8 consecutive
// floats), and 32 output channels its columns, from the transposed weights Wᵀ (C·k·k x outC). The 8 x 32
// sums stay in registers, and the bias, the ReLU and the pooling are applied there: the first row of a
// window pair keeps each window's left-then-right maximum, the second adds its bottom-left and
// bottom-right candidates. Only the pooled values (and, while training, the winners) are written.
//
// The bits are the GEMM path's: each output sums its C·k·k products in the GEMM's order (c, i, t) with
// fused multiply-adds from zero (Gemm.Kernel8x32 over one K chunk; w·x and x·w are the same product),
// then z + b and ReLU.Function as TensorMath.AddConstantThenApply, then the four candidates of each window
// in MaxPool2D's order (top-left, top-right, bottom-left, bottom-right, each taken when strictly
// greater), so the ReLU's deferred output, written later by the GEMM path, and the pool's winners
// agree with what this wrote.
public sealed partial class Conv2D
{
    /// <summary>Output channels of one tile of <see cref="PooledRowsTile"/>.</summary>
    private const int PooledRowsChannels = 32;

    /// <summary>Output row width <see cref="PooledRowsTile"/> takes: its 8 register rows.</summary>
    private const int PooledRowsWidth = 8;

    /// <summary>Whether a fused run with <paramref name="pool"/> after the ReLU computes this layer through <see cref="ForwardPooledRows"/>.</summary>
    private bool UsesPooledRows(MaxPool2D pool) =>
        pool.Size == 2 && pool.Stride == 2 && Stride == 1 && Padding == 0 && _g.OutWidth == PooledRowsWidth
        && OutChannels % PooledRowsChannels == 0 && _bias is not null && Gemm.Kernel == Gemm.KernelKind.Vector512x8x32
        && _g.PatchLength <= Gemm.Blocks.KC; // one K chunk: the GEMM sums each output in one chain from zero

    private float[] _weightTransposed = [];

    /// <summary>
    /// relu(conv(x) + b), max-pooled 2 x 2, for the batch <paramref name="input"/>, written into the
    /// pool's output (and its winners while it records them); the ReLU's output is left to the deferral.
    /// </summary>
    private void ForwardPooledRows(Tensor input, int batch, MaxPool2D pool)
    {
        int kk = _g.PatchLength, outC = OutChannels;
        ConvBuffers.Grow(ref _weightTransposed, (long)kk * outC);
        TensorMath.Transpose(_weight.Value.Span, outC, kk, _weightTransposed);
        ConvParallel.For(batch, (long)outC * _g.OutPlane * kk, (this, input, pool), static (s, start, end) =>
        {
            var (self, input, pool) = s;
            for (int n = start; n < end; n++) self.PooledRowsSample(input.Span, n, pool);
        });
    }

    private void PooledRowsSample(ReadOnlySpan<float> input, int n, MaxPool2D pool)
    {
        int outC = OutChannels, inSample = _g.Channels * _g.InPlane;
        var pooled = pool.PooledSample(n, out var winners);
        ref float x = ref MemoryMarshal.GetReference(input.Slice(n * inSample, inSample));
        for (int c0 = 0; c0 < outC; c0 += PooledRowsChannels)
            PooledRowsTile(ref x, _g, ref _weightTransposed[c0], outC, ref _bias!.Value.Span[c0],
                pooled.Slice(c0 * pool.OutPlane), winners.IsEmpty ? winners : winners.Slice(c0 * pool.OutPlane),
                (n * outC + c0) * _g.OutPlane);
    }

    /// <summary>
    /// 32 channels of one sample: for each output row, the 8 x 32 sums (channels c0..c0+31 from
    /// <paramref name="wt"/>, the transposed weights from column c0, rows <paramref name="ldw"/> apart),
    /// biased and rectified, and each row pair's windows pooled into <paramref name="pooled"/>
    /// (channel-major, the pool's planes), with the winners' indices (plane <paramref name="planeBase"/>
    /// onwards, in the pool's input) when <paramref name="winners"/> is not empty. A last odd row, which
    /// no window covers, is not computed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PooledRowsTile(ref float x, ConvGeometry g, ref float wt, int ldw, ref float bias, Span<float> pooled, Span<int> winners, int planeBase)
    {
        int width = g.Width, inPlane = g.InPlane, k = g.Kernel, channels = g.Channels, outPlane = g.OutPlane;
        int pooledWidth = PooledRowsWidth / 2, pooledPlane = g.OutHeight / 2 * pooledWidth;
        if (pooled.Length < PooledRowsChannels * pooledPlane || (!winners.IsEmpty && winners.Length < PooledRowsChannels * pooledPlane))
            throw new ArgumentException("Conv2D.PooledRowsTile: the pooled output is shorter than 32 planes.");
        // Lane l of half h is channel c0 + 16h + l, whose plane in the pool's input starts at planeBase + (16h + l)·outPlane.
        var planes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * outPlane + Vector512.Create(planeBase);
        Span<float> tile = stackalloc float[PooledRowsWidth * PooledRowsChannels];  // pixel j, channel c at 32j + c
        Span<float> maxima = stackalloc float[pooledWidth * PooledRowsChannels];    // window j, channel c at 32j + c
        Span<int> argMax = stackalloc int[pooledWidth * PooledRowsChannels];
        ref float tr = ref MemoryMarshal.GetReference(tile);
        for (int oh = 0; oh < g.OutHeight / 2 * 2; oh++)
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
            ref float w = ref wt;
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < k; i++)
                {
                    ref float row = ref Unsafe.Add(ref x, c * inPlane + (oh + i) * width);
                    for (int t = 0; t < k; t++)
                    {
                        var w0 = Vector512.LoadUnsafe(ref w);
                        var w1 = Vector512.LoadUnsafe(ref w, 16);
                        ref float a = ref Unsafe.Add(ref row, t);
                        var v = Vector512.Create(a);
                        c00 = Vector512.FusedMultiplyAdd(v, w0, c00); c01 = Vector512.FusedMultiplyAdd(v, w1, c01);
                        v = Vector512.Create(Unsafe.Add(ref a, 1));
                        c10 = Vector512.FusedMultiplyAdd(v, w0, c10); c11 = Vector512.FusedMultiplyAdd(v, w1, c11);
                        v = Vector512.Create(Unsafe.Add(ref a, 2));
                        c20 = Vector512.FusedMultiplyAdd(v, w0, c20); c21 = Vector512.FusedMultiplyAdd(v, w1, c21);
                        v = Vector512.Create(Unsafe.Add(ref a, 3));
                        c30 = Vector512.FusedMultiplyAdd(v, w0, c30); c31 = Vector512.FusedMultiplyAdd(v, w1, c31);
                        v = Vector512.Create(Unsafe.Add(ref a, 4));
                        c40 = Vector512.FusedMultiplyAdd(v, w0, c40); c41 = Vector512.FusedMultiplyAdd(v, w1, c41);
                        v = Vector512.Create(Unsafe.Add(ref a, 5));
                        c50 = Vector512.FusedMultiplyAdd(v, w0, c50); c51 = Vector512.FusedMultiplyAdd(v, w1, c51);
                        v = Vector512.Create(Unsafe.Add(ref a, 6));
                        c60 = Vector512.FusedMultiplyAdd(v, w0, c60); c61 = Vector512.FusedMultiplyAdd(v, w1, c61);
                        v = Vector512.Create(Unsafe.Add(ref a, 7));
                        c70 = Vector512.FusedMultiplyAdd(v, w0, c70); c71 = Vector512.FusedMultiplyAdd(v, w1, c71);
                        w = ref Unsafe.Add(ref w, ldw);
                    }
                }
            c00.StoreUnsafe(ref tr, 0); c01.StoreUnsafe(ref tr, 16); c10.StoreUnsafe(ref tr, 32); c11.StoreUnsafe(ref tr, 48);
            c20.StoreUnsafe(ref tr, 64); c21.StoreUnsafe(ref tr, 80); c30.StoreUnsafe(ref tr, 96); c31.StoreUnsafe(ref tr, 112);
            c40.StoreUnsafe(ref tr, 128); c41.StoreUnsafe(ref tr, 144); c50.StoreUnsafe(ref tr, 160); c51.StoreUnsafe(ref tr, 176);
            c60.StoreUnsafe(ref tr, 192); c61.StoreUnsafe(ref tr, 208); c70.StoreUnsafe(ref tr, 224); c71.StoreUnsafe(ref tr, 240);
            PoolRow(tile, ref bias, planes, outPlane, oh, maxima, argMax);
            if ((oh & 1) == 0) continue;
            int outRow = oh / 2 * pooledWidth;
            for (int c = 0; c < PooledRowsChannels; c++)
                for (int j = 0; j < pooledWidth; j++)
                {
                    pooled[c * pooledPlane + outRow + j] = maxima[j * PooledRowsChannels + c];
                    if (!winners.IsEmpty) winners[c * pooledPlane + outRow + j] = argMax[j * PooledRowsChannels + c];
                }
        }
    }

    /// <summary>
    /// Output row <paramref name="oh"/>'s part in its windows: each pixel z + b rectified, then for
    /// window j its pixels 2j and 2j + 1 as candidates, each taken when strictly greater than the
    /// maximum so far, which a top row (even <paramref name="oh"/>) starts with pixel 2j: MaxPool2D's
    /// order. The winners are indices in the pool's input, whose planes <paramref name="planes"/> (one
    /// per lane of 16 channels) start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PoolRow(ReadOnlySpan<float> tile, ref float bias, Vector512<int> planes, int outPlane, int oh, Span<float> maxima, Span<int> argMax)
    {
        ref float tr = ref MemoryMarshal.GetReference(tile);
        ref float mr = ref MemoryMarshal.GetReference(maxima);
        ref int ar = ref MemoryMarshal.GetReference(argMax);
        bool top = (oh & 1) == 0;
        var relu = new ReLU.Function();
        for (int h = 0; h < 2; h++)
        {
            var b = Vector512.LoadUnsafe(ref bias, (nuint)(16 * h));
            var lanes = planes + Vector512.Create(16 * h * outPlane);
            for (int j = 0; j < PooledRowsWidth / 2; j++)
            {
                int pixel = oh * PooledRowsWidth + 2 * j;
                nuint at = (nuint)(j * PooledRowsChannels + 16 * h);
                var left = relu.Invoke(Vector512.LoadUnsafe(ref tr, (nuint)(2 * j * PooledRowsChannels + 16 * h)) + b);
                var right = relu.Invoke(Vector512.LoadUnsafe(ref tr, (nuint)((2 * j + 1) * PooledRowsChannels + 16 * h)) + b);
                Vector512<float> best;
                Vector512<int> winner;
                if (top)
                {
                    best = left;
                    winner = lanes + Vector512.Create(pixel);
                }
                else
                {
                    best = Vector512.LoadUnsafe(ref mr, at);
                    winner = Vector512.LoadUnsafe(ref ar, at);
                    var gt = Vector512.GreaterThan(left, best);
                    best = Vector512.ConditionalSelect(gt, left, best);
                    winner = Vector512.ConditionalSelect(gt.AsInt32(), lanes + Vector512.Create(pixel), winner);
                }
                var greater = Vector512.GreaterThan(right, best);
                Vector512.ConditionalSelect(greater, right, best).StoreUnsafe(ref mr, at);
                Vector512.ConditionalSelect(greater.AsInt32(), lanes + Vector512.Create(pixel + 1), winner).StoreUnsafe(ref ar, at);
            }
        }
    }
}
