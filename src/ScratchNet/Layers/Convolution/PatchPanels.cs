using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The im2col patch matrix of a batch (<see cref="Im2Col.Pack"/> writes it out; this never does):
/// a GEMM asks for packed panels and they are read straight from the input image. Entry (r, col), with
/// r = (c·k + i)·k + j and col = n·P + oh·OutWidth + ow, is x[n, c, oh·s − pad + i, ow·s − pad + j],
/// or 0 in the padding.
/// </summary>
/// <remarks>
/// Not transposed it is B of the forward product <c>W · cols</c> (k index r, n index col); transposed
/// it is B of the weight gradient <c>dY · colsᵀ</c> (k index col, n index r). Writing the matrix out
/// costs a pass of N·P·C·k·k floats out to memory and, for the GEMM, a pass to pack it back in;
/// reading each panel from the input costs neither. Each panel is a pure function of its position, so
/// threads may ask for panels in any order and the product has the same bits as with the stored matrix.
/// </remarks>
internal sealed unsafe class PatchPanels : IPanelSource
{
    private float[] _input = [];
    private int _inputOffset, _firstColumn;
    private ConvGeometry _g;
    private bool _transposed;

    /// <summary>
    /// Serves the patches of <paramref name="input"/> (N, C, H, W) from <paramref name="inputOffset"/>,
    /// with patch column 0 of the GEMM being column <paramref name="firstColumn"/> of the batch's matrix.
    /// </summary>
    public PatchPanels Set(float[] input, int inputOffset, ConvGeometry g, int firstColumn, bool transposed)
    {
        if (g != _g || _tapOffsets.Length != g.PatchLength)
        {
            // Three divisions per tap are too many for the hot loops (800 taps x 128 panels a pass).
            _tapOffsets = new int[g.PatchLength];
            int k = g.Kernel;
            for (int r = 0; r < _tapOffsets.Length; r++) _tapOffsets[r] = r / (k * k) * g.InPlane + r / k % k * g.Width + r % k;
        }
        _input = input; _inputOffset = inputOffset; _g = g; _firstColumn = firstColumn; _transposed = transposed;
        return this;
    }

    /// <summary>Offset of tap r = (c·k + i)·k + j from a window's corner: c·H·W + i·W + j.</summary>
    private int[] _tapOffsets = [];

    /// <summary>Drops the reference to the input (the layer keeps none between steps).</summary>
    public void Clear() => _input = [];

    public void PackPanel(int k0, int kc, int j0, int cols, float* dst, int w)
    {
        fixed (float* x = &MemoryMarshal.GetArrayDataReference(_input))
        {
            if (_transposed) PackRows(x + _inputOffset, k0, kc, j0, cols, dst, w);
            else PackColumns(x + _inputOffset, k0, kc, j0, cols, dst, w);
        }
        if (cols < w)
            for (int q = 0; q < kc; q++) new Span<float>(dst + (nint)q * w + cols, w - cols).Clear();
    }

    /// <summary>Splits patch column col into sample n and the window's top-left input row and column (may be negative in the padding).</summary>
    private (int N, int Row, int Col) Window(int col)
    {
        int p = _g.OutPlane, n = col / p, rem = col - n * p, oh = rem / _g.OutWidth, ow = rem - oh * _g.OutWidth;
        return (n, oh * _g.Stride - _g.Padding, ow * _g.Stride - _g.Padding);
    }

    /// <summary>The entry at tap r of window (n, row, col): the input pixel, or 0 in the padding.</summary>
    private float Entry(float* x, (int N, int Row, int Col) window, int r)
    {
        int k = _g.Kernel, c = r / (k * k), ih = window.Row + r / k % k, iw = window.Col + r % k;
        if ((uint)ih >= (uint)_g.Height || (uint)iw >= (uint)_g.Width) return 0f;
        return x[(window.N * _g.Channels + c) * _g.InPlane + ih * _g.Width + iw];
    }

    // dst[q·w + t] = cols[k0 + q, firstColumn + j0 + t]: for each tap, runs of neighbouring windows.
    private void PackColumns(float* x, int k0, int kc, int j0, int cols, float* dst, int w)
    {
        if (_g.Padding != 0)
        {
            for (int t = 0; t < cols; t++)
            {
                var window = Window(_firstColumn + j0 + t);
                for (int q = 0; q < kc; q++) dst[(nint)q * w + t] = Entry(x, window, k0 + q);
            }
            return;
        }
        // Without padding every entry is x[corner(col) + tap offset(r)]. Windows whose corners are one
        // apart (side by side in an output row, with stride 1) read a contiguous run of the input per tap.
        int* runStart = stackalloc int[cols], runLength = stackalloc int[cols], runCorner = stackalloc int[cols];
        int runs = 0;
        bool allEight = true;
        for (int t = 0; t < cols; t++)
        {
            var (n, row, col) = Window(_firstColumn + j0 + t);
            int corner = (n * _g.Channels) * _g.InPlane + row * _g.Width + col;
            if (runs > 0 && runCorner[runs - 1] + runLength[runs - 1] == corner) { runLength[runs - 1]++; continue; }
            if (runs > 0) allEight &= runLength[runs - 1] == 8;
            runStart[runs] = t; runLength[runs] = 1; runCorner[runs] = corner; runs++;
        }
        allEight &= runs > 0 && runLength[runs - 1] == 8;
        fixed (int* tapOffsets = _tapOffsets)
        {
            // Output rows 8 wide (the second mnist-cnn layer): each run is one vector, with no loop
            // and no tail; this pass is the whole cost of the patches, once per panel.
            if (allEight && runs == 4 && Vector256.IsHardwareAccelerated)
            {
                // A panel of 32 columns: four output rows, their corners held in registers.
                int c0 = runCorner[0], c1 = runCorner[1], c2 = runCorner[2], c3 = runCorner[3];
                int s0 = runStart[0], s1 = runStart[1], s2 = runStart[2], s3 = runStart[3];
                for (int q = 0; q < kc; q++)
                {
                    float* src = x + tapOffsets[k0 + q], d = dst + (nint)q * w;
                    Vector256.Store(Vector256.Load(src + c0), d + s0);
                    Vector256.Store(Vector256.Load(src + c1), d + s1);
                    Vector256.Store(Vector256.Load(src + c2), d + s2);
                    Vector256.Store(Vector256.Load(src + c3), d + s3);
                }
                return;
            }
            if (allEight && Vector256.IsHardwareAccelerated)
            {
                for (int q = 0; q < kc; q++)
                {
                    float* src = x + tapOffsets[k0 + q], d = dst + (nint)q * w;
                    for (int run = 0; run < runs; run++) Vector256.Store(Vector256.Load(src + runCorner[run]), d + runStart[run]);
                }
                return;
            }
            for (int q = 0; q < kc; q++)
            {
                float* src = x + tapOffsets[k0 + q], d = dst + (nint)q * w;
                for (int run = 0; run < runs; run++) Copy(src + runCorner[run], d + runStart[run], runLength[run]);
            }
        }
    }

    // dst[q·w + t] = cols[j0 + t, firstColumn + k0 + q]: 8 windows x 8 taps at a time, transposed in registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackRows(float* x, int k0, int kc, int j0, int cols, float* dst, int w)
    {
        int first = _firstColumn + k0;
        if (_g.Padding != 0)
        {
            for (int q = 0; q < kc; q++)
            {
                var window = Window(first + q);
                float* d = dst + (nint)q * w;
                for (int t = 0; t < cols; t++) d[t] = Entry(x, window, j0 + t);
            }
            return;
        }
        ReadOnlySpan<int> offsets = _tapOffsets.AsSpan(j0, cols);
        int q0 = 0;
        // Eight windows side by side in one output row (stride 1, rows a multiple of 8 wide, aligned
        // start): each tap reads 8 contiguous input floats, and 8 taps form an 8 x 8 block to transpose.
        if (Avx.IsSupported && _g.Stride == 1 && _g.OutWidth % 8 == 0 && first % 8 == 0)
        {
            int wholeTaps = cols / 8 * 8;
            for (; q0 + 8 <= kc; q0 += 8)
            {
                var (n, row, col) = Window(first + q0);
                float* corner = x + (n * _g.Channels) * _g.InPlane + row * _g.Width + col;
                float* d = dst + (nint)q0 * w;
                for (int t = 0; t < wholeTaps; t += 8)
                {
                    Gemm.Transpose8x8(corner + offsets[t], corner + offsets[t + 1], corner + offsets[t + 2], corner + offsets[t + 3],
                        corner + offsets[t + 4], corner + offsets[t + 5], corner + offsets[t + 6], corner + offsets[t + 7], d + t, w);
                }
                for (int t = wholeTaps; t < cols; t++)
                    for (int q = 0; q < 8; q++) d[(nint)q * w + t] = corner[q + offsets[t]];
            }
        }
        for (; q0 < kc; q0++)
        {
            var (n, row, col) = Window(first + q0);
            float* corner = x + (n * _g.Channels) * _g.InPlane + row * _g.Width + col;
            float* d = dst + (nint)q0 * w;
            for (int t = 0; t < cols; t++) d[t] = corner[offsets[t]];
        }
    }

    /// <summary>dst[0..count) = src[0..count): whole vectors, the last one overlapping the one before when count is not a multiple of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int count)
    {
        if (Vector256.IsHardwareAccelerated && count >= 8)
        {
            for (int i = 0; i < count - 8; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
            Vector256.Store(Vector256.Load(src + count - 8), dst + count - 8);
            return;
        }
        for (int i = 0; i < count; i++) dst[i] = src[i];
    }
}
