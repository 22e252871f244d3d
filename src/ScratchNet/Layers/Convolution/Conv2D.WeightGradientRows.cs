using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

// The weight gradient dW (outC x C·k·k) = dY (outC x N·P) · colsᵀ (N·P x C·k·k) of a layer with 5 x 5
// kernels, channels in 64s, stride 1 and no padding (the second mnist-cnn layer: 64 x 800, summed over
// 4,096 positions a batch), without packing the patches. The GEMM packs colsᵀ (13 MB a batch) into
// panels that serve only 64 rows of dY. Here dWᵀ is summed one tap row at a time: the 5 taps
// (c, i, 0..4) of one kernel row times 64 channels are 20 vectors in registers, and each position
// q = (n, oh, ow) adds x[n, c, oh + i, ow + t] (five neighbouring input floats, read in place) times
// dYᵀ[q, 0..63] (the position's 64 channel gradients, 256 bytes).
//
// The bits are the GEMM's: each dW[o, k] sums its products over q in order with fused multiply-adds
// from zero, restarting at every K chunk of Gemm.Blocks.KC positions and adding each chunk's sum to
// the chunks before it (C = acc + C), as the blocked GEMM does. Positions go one sample at a time, so
// that the sample's input and dYᵀ stay in L1 while a group of tap rows uses them; a tap row's partial
// sums wait in a scratch between samples (a float stored and loaded back is the same float). Each tap
// row is summed whole by one thread, so the bits do not depend on the thread count.
public sealed partial class Conv2D
{
    /// <summary>Taps per kernel row that <see cref="TapRowSums"/> holds (its 5 x 4 vectors).</summary>
    private const int RowTaps = 5;

    /// <summary>Output channels <see cref="TapRowSums"/> holds: four 16-float vectors per tap.</summary>
    private const int RowChannels = 64;

    /// <summary>Tap rows (of <see cref="RowTaps"/> taps and <see cref="RowChannels"/> channels) per part of the parallel sum.</summary>
    private const int TapRowsPerPart = 10;

    private float[] _gradTransposed = [];        // dYᵀ (N·P x outC)
    private float[] _weightGradTransposed = [];  // dWᵀ (C·k·k x outC): the sum of the K chunks so far
    private float[] _weightGradChunk = [];       // dWᵀ of the current K chunk so far

    /// <summary>Whether <see cref="WeightGradientRows"/> computes this layer's dW (see above).</summary>
    private bool UsesWeightGradientRows =>
        KernelSize == RowTaps && Stride == 1 && Padding == 0 && OutChannels % RowChannels == 0 && _g.OutPlane % 8 == 0
        && Gemm.Kernel == Gemm.KernelKind.Vector512x8x32;

    /// <summary>dW = dY · colsᵀ for the batch, from <paramref name="gradOutput"/> (N, outC, OH, OW) and the last input; the bits of the GEMM.</summary>
    private void WeightGradientRows(Tensor gradOutput, int batch)
    {
        int p = _g.OutPlane, outC = OutChannels, kk = _g.PatchLength, np = batch * p;
        ConvBuffers.Grow(ref _gradTransposed, (long)np * outC);
        ConvBuffers.Grow(ref _weightGradTransposed, (long)kk * outC);
        ConvBuffers.Grow(ref _weightGradChunk, (long)kk * outC);
        ConvParallel.For(batch, (long)outC * p, (this, gradOutput), static (s, start, end) =>
        {
            var (self, gradOutput) = s;
            int size = self._g.OutPlane * self.OutChannels;
            for (int n = start; n < end; n++)
                TensorMath.Transpose(gradOutput.Span.Slice(n * size, size), self.OutChannels, self._g.OutPlane, self._gradTransposed.AsSpan(n * size, size));
        });
        int tapRows = _g.Channels * KernelSize * (outC / RowChannels);
        int parts = (tapRows + TapRowsPerPart - 1) / TapRowsPerPart;
        ConvParallel.For(parts, (long)TapRowsPerPart * np * RowTaps * RowChannels, (this, batch, tapRows), static (s, start, end) =>
        {
            var (self, batch, tapRows) = s;
            self.SumTapRows(start * TapRowsPerPart, Math.Min(end * TapRowsPerPart, tapRows), batch);
        });
        TensorMath.Transpose(_weightGradTransposed.AsSpan(0, kk * outC), kk, outC, _weight.Gradient.Span);
    }

    /// <summary>
    /// Tap rows [<paramref name="first"/>, <paramref name="last"/>) of dWᵀ, each the taps (c, i, 0..4)
    /// of channels 64g..64g+63 for tap row index (c·k + i)·(outC / 64) + g, over every position of the
    /// batch in order, chunk by chunk.
    /// </summary>
    private void SumTapRows(int first, int last, int batch)
    {
        int p = _g.OutPlane, outC = OutChannels, kc = Gemm.Blocks.KC, np = batch * p;
        int groups = outC / RowChannels, sampleIn = _g.Channels * _g.InPlane;
        var x = _lastInput!.Span[..(batch * sampleIn)];
        for (int q0 = 0; q0 < np;)
        {
            int chunkEnd = (q0 / kc + 1) * kc, q1 = Math.Min(Math.Min(q0 + SamplesPerTapRowRun * p, chunkEnd), np);
            var run = new TapRowRun(Fresh: q0 % kc == 0, Fold: q1 == chunkEnd || q1 == np, FirstChunk: q0 < kc);
            for (int r = first; r < last; r++)
            {
                int tapRow = r / groups, g = r % groups;
                int c = tapRow / KernelSize, i = tapRow % KernelSize, offset = tapRow * RowTaps * outC + g * RowChannels;
                TapRowSums(ref Unsafe.Add(ref MemoryMarshal.GetReference(x), c * _g.InPlane + i * _g.Width), _g, sampleIn,
                    ref _gradTransposed[q0 * outC + g * RowChannels], outC, q0, q1,
                    ref _weightGradChunk[offset], ref _weightGradTransposed[offset], run);
            }
            q0 = q1;
        }
    }

    /// <summary>Samples whose positions one call of <see cref="TapRowSums"/> adds (their dYᵀ, 16 KiB a sample for 64 x 64, stays in L1 and L2).</summary>
    private const int SamplesPerTapRowRun = 16;

    /// <summary>
    /// Where a run of positions lies among the K chunks: <c>Fresh</c>, it starts one (its sums start
    /// at zero); <c>Fold</c>, it ends one (the chunk's sums go into the total); <c>FirstChunk</c>, that
    /// chunk is the first (the total is set, not added to).
    /// </summary>
    private readonly record struct TapRowRun(bool Fresh, bool Fold, bool FirstChunk);

    /// <summary>
    /// Positions [<paramref name="q0"/>, <paramref name="q1"/>) of the batch (q = (n·OH + oh)·OW + ow)
    /// added to the sums of one kernel row's 5 taps x 64 channels: <c>sum[t, o] += x[n, oh, ow + t] · dYᵀ[q, o]</c>,
    /// x from that kernel row of one input channel of sample 0 (samples <paramref name="sampleIn"/>
    /// floats apart), dYᵀ from position q0 (rows <paramref name="ld"/> apart), the sums in
    /// <paramref name="chunk"/> and <paramref name="total"/> (rows <paramref name="ld"/> apart) as
    /// <paramref name="run"/> says.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TapRowSums(ref float x, ConvGeometry g, int sampleIn, ref float dyT, int ld, int q0, int q1, ref float chunk, ref float total, TapRowRun run)
    {
        int width = g.Width, outWidth = g.OutWidth, outHeight = g.OutHeight;
        Vector512<float> a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33, a40, a41, a42, a43;
        if (run.Fresh)
        {
            a00 = a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = default;
            a30 = a31 = a32 = a33 = a40 = a41 = a42 = a43 = default;
        }
        else
        {
            nuint l = (nuint)ld;
            a00 = Vector512.LoadUnsafe(ref chunk); a01 = Vector512.LoadUnsafe(ref chunk, 16); a02 = Vector512.LoadUnsafe(ref chunk, 32); a03 = Vector512.LoadUnsafe(ref chunk, 48);
            a10 = Vector512.LoadUnsafe(ref chunk, l); a11 = Vector512.LoadUnsafe(ref chunk, l + 16); a12 = Vector512.LoadUnsafe(ref chunk, l + 32); a13 = Vector512.LoadUnsafe(ref chunk, l + 48);
            a20 = Vector512.LoadUnsafe(ref chunk, 2 * l); a21 = Vector512.LoadUnsafe(ref chunk, 2 * l + 16); a22 = Vector512.LoadUnsafe(ref chunk, 2 * l + 32); a23 = Vector512.LoadUnsafe(ref chunk, 2 * l + 48);
            a30 = Vector512.LoadUnsafe(ref chunk, 3 * l); a31 = Vector512.LoadUnsafe(ref chunk, 3 * l + 16); a32 = Vector512.LoadUnsafe(ref chunk, 3 * l + 32); a33 = Vector512.LoadUnsafe(ref chunk, 3 * l + 48);
            a40 = Vector512.LoadUnsafe(ref chunk, 4 * l); a41 = Vector512.LoadUnsafe(ref chunk, 4 * l + 16); a42 = Vector512.LoadUnsafe(ref chunk, 4 * l + 32); a43 = Vector512.LoadUnsafe(ref chunk, 4 * l + 48);
        }
        ref float d = ref dyT;
        int row = q0 / outWidth, ow = q0 - row * outWidth;  // row = n·OH + oh
        for (int q = q0; q < q1; row++, ow = 0)
        {
            int count = Math.Min(outWidth - ow, q1 - q), n = row / outHeight;
            ref float xr = ref Unsafe.Add(ref x, n * sampleIn + (row - n * outHeight) * width + ow);
            for (int j = 0; j < count; j++)
            {
                var d0 = Vector512.LoadUnsafe(ref d);
                var d1 = Vector512.LoadUnsafe(ref d, 16);
                var d2 = Vector512.LoadUnsafe(ref d, 32);
                var d3 = Vector512.LoadUnsafe(ref d, 48);
                ref float v = ref Unsafe.Add(ref xr, j);
                var s = Vector512.Create(v);
                a00 = Vector512.FusedMultiplyAdd(s, d0, a00); a01 = Vector512.FusedMultiplyAdd(s, d1, a01); a02 = Vector512.FusedMultiplyAdd(s, d2, a02); a03 = Vector512.FusedMultiplyAdd(s, d3, a03);
                s = Vector512.Create(Unsafe.Add(ref v, 1));
                a10 = Vector512.FusedMultiplyAdd(s, d0, a10); a11 = Vector512.FusedMultiplyAdd(s, d1, a11); a12 = Vector512.FusedMultiplyAdd(s, d2, a12); a13 = Vector512.FusedMultiplyAdd(s, d3, a13);
                s = Vector512.Create(Unsafe.Add(ref v, 2));
                a20 = Vector512.FusedMultiplyAdd(s, d0, a20); a21 = Vector512.FusedMultiplyAdd(s, d1, a21); a22 = Vector512.FusedMultiplyAdd(s, d2, a22); a23 = Vector512.FusedMultiplyAdd(s, d3, a23);
                s = Vector512.Create(Unsafe.Add(ref v, 3));
                a30 = Vector512.FusedMultiplyAdd(s, d0, a30); a31 = Vector512.FusedMultiplyAdd(s, d1, a31); a32 = Vector512.FusedMultiplyAdd(s, d2, a32); a33 = Vector512.FusedMultiplyAdd(s, d3, a33);
                s = Vector512.Create(Unsafe.Add(ref v, 4));
                a40 = Vector512.FusedMultiplyAdd(s, d0, a40); a41 = Vector512.FusedMultiplyAdd(s, d1, a41); a42 = Vector512.FusedMultiplyAdd(s, d2, a42); a43 = Vector512.FusedMultiplyAdd(s, d3, a43);
                d = ref Unsafe.Add(ref d, ld);
            }
            q += count;
        }
        ref float to = ref run.Fold ? ref total : ref chunk;
        bool add = run.Fold && !run.FirstChunk;
        Put(ref to, 0, a00, a01, a02, a03, add);
        Put(ref to, ld, a10, a11, a12, a13, add);
        Put(ref to, 2 * ld, a20, a21, a22, a23, add);
        Put(ref to, 3 * ld, a30, a31, a32, a33, add);
        Put(ref to, 4 * ld, a40, a41, a42, a43, add);
    }

    /// <summary>One tap's 64 sums stored at <paramref name="at"/>, or added to what is there (the GEMM's C = acc + C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref float to, int at, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, bool add)
    {
        ref float row = ref Unsafe.Add(ref to, at);
        if (add)
        {
            s0 += Vector512.LoadUnsafe(ref row);
            s1 += Vector512.LoadUnsafe(ref row, 16);
            s2 += Vector512.LoadUnsafe(ref row, 32);
            s3 += Vector512.LoadUnsafe(ref row, 48);
        }
        s0.StoreUnsafe(ref row);
        s1.StoreUnsafe(ref row, 16);
        s2.StoreUnsafe(ref row, 32);
        s3.StoreUnsafe(ref row, 48);
    }
}
