using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors;

// A product with at most 16 columns (an MLP's 10 classes: the output layer's forward pass and its
// weight gradient) does only n multiply-adds per element of A, so packing A, about as costly as
// several dozen of them per float, would cost more than the arithmetic. Here the micro-kernel reads A
// where it is stored (rows lda apart, or, transposed, steps lda apart), and all of op(B) is packed
// once per thread into 16-wide steps instead of 32, half the padding. Threads claim blocks of rows of
// C as in Gemm.SharedRows. Each element still sums the same K chunks with the same fused multiply-adds
// in the same order as the 8 x 16 kernels of the packed path, so the bits are those of the packed
// path, whichever thread takes which block and whatever the thread count.
public static partial class Gemm
{
    /// <summary>The width of the narrow path's B panel: one Vector512 of floats.</summary>
    private const int NarrowWidth = 16;

    /// <summary>op(B) of at most this many floats (k x 16) is packed once per thread; longer ones chunk by chunk per row block.</summary>
    private const int NarrowPackOnceFloats = 1 << 16;

    /// <summary>Whether <see cref="MultiplyNarrowBlocks"/> computes a product with <paramref name="n"/> columns.</summary>
    private static bool IsNarrow(int n) => n <= NarrowWidth && Kernel == KernelKind.Vector512x8x32;

    /// <summary>Computes the blocks of <paramref name="blockRows"/> rows of a narrow product that it claims from <paramref name="next"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyNarrowBlocks(in Problem p, int blockRows, ref int next)
    {
        Blocking bl = Blocks;
        int mr = bl.MR, w = NarrowWidth;
        int blocks = (p.M + blockRows - 1) / blockRows;
        if (Volatile.Read(ref next) >= blocks) return; // the others took every block before this thread woke
        Workspace ws = Workspace.ForCurrentThread(bl);
        bool packOnce = (long)p.K * w <= NarrowPackOnceFloats;
        float* bp = ws.PackedB((packOnce ? p.K : Math.Min(p.K, bl.KC)) * w);
        if (packOnce)
            for (int pc = 0; pc < p.K; pc += bl.KC)
                PackB(p, pc, Math.Min(bl.KC, p.K - pc), 0, p.N, w, bp + (nint)pc * w);
        float* edge = ws.PackedA(mr * Math.Min(p.K, bl.KC));
        int b;
        while ((b = Interlocked.Increment(ref next) - 1) < blocks)
        {
            int row0 = b * blockRows, row1 = Math.Min(p.M, row0 + blockRows);
            for (int pc = 0; pc < p.K; pc += bl.KC)
            {
                int kc = Math.Min(bl.KC, p.K - pc);
                // Later K chunks add to what the first chunk wrote.
                float beta = pc == 0 ? p.Beta : 1f;
                float* bPanel = packOnce ? bp + (nint)pc * w : bp;
                if (!packOnce) PackB(p, pc, kc, 0, p.N, w, bp);
                for (int i = row0; i < row1; i += mr)
                {
                    int rows = Math.Min(mr, row1 - i);
                    float* cTile = p.C + (nint)i * p.Ldc;
                    if (rows == mr)
                    {
                        if (p.TransA) KernelStrided8x16(kc, p.A + (nint)pc * p.Lda + i, 1, p.Lda, bPanel, cTile, p.Ldc, p.Alpha, beta, p.N);
                        else KernelStrided8x16(kc, p.A + (nint)i * p.Lda + pc, p.Lda, 1, bPanel, cTile, p.Ldc, p.Alpha, beta, p.N);
                    }
                    else
                    {
                        // The last rows: packed with zero rows below them (A ends there), raw sums to
                        // the scratch tile, then combined with C as the packed path's edge tiles are.
                        PackA(p, pc, kc, i, rows, mr, edge);
                        KernelStrided8x16(kc, edge, 1, mr, bPanel, ws.Tile, w, 1f, 0f, w);
                        StoreEdge(ws.Tile, w, cTile, p.Ldc, rows, p.N, p.Alpha, beta);
                    }
                }
            }
        }
    }
}
