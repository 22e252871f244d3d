using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Tensors;

// The blocked algorithm (the Goto/BLIS scheme). C is cut into NC-wide column blocks; K into KC-deep
// chunks; rows into MC-tall blocks. For each (column block, K chunk) a panel of op(B) is packed, for
// each row block a panel of op(A), and the micro-kernel computes MR x NR tiles of C from the packed
// panels. K chunks always start at 0, KC, 2*KC, ... and each tile sums its chunk in order, so every
// element of C sees its k terms in the same order whatever part of C a thread is given.
public static partial class Gemm
{
    /// <summary>Which micro-kernel this process uses, chosen once from the hardware.</summary>
    internal enum KernelKind { Scalar4x2, Vector256x6x16, Vector512x8x32 }

    internal static readonly KernelKind Kernel = Vector512.IsHardwareAccelerated && Avx512F.IsSupported
        ? KernelKind.Vector512x8x32
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? KernelKind.Vector256x6x16 : KernelKind.Scalar4x2;

    /// <summary>The micro-kernel in use, in words (e.g. "Vector512 8x32"), for benchmark reports.</summary>
    public static string MicroKernel => Kernel switch
    {
        KernelKind.Vector512x8x32 => "Vector512 8x32",
        KernelKind.Vector256x6x16 => "Vector256 6x16",
        _ => "scalar 4x2",
    };

    /// <summary>Register tile and cache blocking for one kernel.</summary>
    internal readonly record struct Blocking(int MR, int NR, int KC, int MC, int NC);

    internal static readonly Blocking Blocks = Kernel switch
    {
        // KC 1024 keeps an 8 x KC A micro-panel (32 KiB) in L1/L2 and streams a KC x 32 B micro-panel;
        // MC 96 keeps the packed A block (384 KiB) in L2. The best values measured on Zen 4
        // (/work/shared/notes/fast-gemm-in-dotnet.md: KC 256 was ~10% slower on 2048).
        KernelKind.Vector512x8x32 => new Blocking(8, 32, 1024, 96, 4096),
        KernelKind.Vector256x6x16 => new Blocking(6, 16, 512, 96, 4096),
        _ => new Blocking(4, 2, 256, 64, 1024),
    };

    /// <summary>Everything one GEMM call needs, as raw pointers (the caller keeps the spans pinned).</summary>
    private unsafe struct Problem
    {
        public bool TransA, TransB;
        public int M, N, K;
        public float Alpha, Beta;
        public float* A, B, C;
        public int Lda, Ldb, Ldc;
        public IPanelSource? BSource; // when set, op(B) comes from here and B, Ldb, TransB are unused
    }

    /// <summary>Computes rows [row0, row1) x columns [col0, col1) of C with the blocked algorithm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyRegion(in Problem p, int row0, int row1, int col0, int col1)
    {
        Blocking bl = Blocks;
        if (FitsOneRowBlock(row1 - row0, p.K))
        {
            MultiplyFewRows(p, row0, row1, col0, col1);
            return;
        }
        int nr = bl.NR;
        Workspace ws = Workspace.ForCurrentThread(bl);
        for (int jc = col0; jc < col1; jc += bl.NC)
        {
            int nc = Math.Min(bl.NC, col1 - jc);
            int nPanels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < p.K; pc += bl.KC)
            {
                int kc = Math.Min(bl.KC, p.K - pc);
                float* bp = ws.PackedB(nPanels * nr * kc);
                PackB(p, pc, kc, jc, nc, nr, bp);
                // Later K chunks add to what the first chunk wrote.
                float beta = pc == 0 ? p.Beta : 1f;
                for (int ic = row0; ic < row1; ic += bl.MC)
                {
                    int mc = Math.Min(bl.MC, row1 - ic);
                    float* ap = ws.PackedA(((mc + bl.MR - 1) / bl.MR) * bl.MR * kc);
                    PackA(p, pc, kc, ic, mc, bl.MR, ap);
                    for (int jp = 0; jp < nPanels; jp++)
                        MultiplyPanel(p, ap, ic, mc, bp + (nint)jp * nr * kc, nr, jc + jp * nr, Math.Min(nr, nc - jp * nr), kc, beta, ws.Tile);
                }
            }
        }
    }

    /// <summary>
    /// The same products for a region whose rows of A, over one K chunk, fit in one packed A block
    /// (MC x KC floats): a batch of 64 rows times a wide matrix, or 800 rows with K = 64. A is packed
    /// once per K chunk, and each NR-wide panel of B is packed just before its tiles use it, so it is
    /// still in L1. Packing all of a wide B first (the general order) sends megabytes out to memory and
    /// back. Every tile sums the same K chunks in the same order as in <see cref="MultiplyRegion"/>,
    /// so the bits are the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyFewRows(in Problem p, int row0, int row1, int col0, int col1)
    {
        Blocking bl = Blocks;
        int nr = bl.NR, mc = row1 - row0;
        Workspace ws = Workspace.ForCurrentThread(bl);
        for (int pc = 0; pc < p.K; pc += bl.KC)
        {
            int kc = Math.Min(bl.KC, p.K - pc);
            float beta = pc == 0 ? p.Beta : 1f;
            float* ap = ws.PackedA(((mc + bl.MR - 1) / bl.MR) * bl.MR * kc);
            PackA(p, pc, kc, row0, mc, bl.MR, ap);
            float* bp = ws.PackedB(nr * kc);
            bool inPlace = ReadsBInPlace(p, mc);
            for (int j = col0; j < col1; j += nr)
            {
                int cols = Math.Min(nr, col1 - j);
                if (inPlace && cols == nr)
                {
                    MultiplyPanel(p, ap, row0, mc, p.B + (nint)pc * p.Ldb + j, p.Ldb, j, cols, kc, beta, ws.Tile);
                    continue;
                }
                PackB(p, pc, kc, j, cols, nr, bp);
                MultiplyPanel(p, ap, row0, mc, bp, nr, j, cols, kc, beta, ws.Tile);
            }
        }
    }

    /// <summary>
    /// Rows of C at most for which a block reads B where it is stored rather than packing it (see
    /// <see cref="ReadsBInPlace"/>): every block of MultiplyFewRows and of the shared panels (MC rows).
    /// Measured on one thread (CPU time): 16 x 784 x 256 about 1.4 times, 64 x 784 x 256 about 1.05 times as fast.
    /// </summary>
    private const int InPlaceBMaxRows = 96;

    /// <summary>
    /// Whether full 32-column panels of B are read where B is stored (B not transposed, rows ldb apart)
    /// for a block of <paramref name="rows"/> rows: a packed panel would serve only rows / MR tiles, and
    /// packing it costs more than reading it in place, strided. Edge panels are packed (zero padding).
    /// </summary>
    private static bool ReadsBInPlace(in Problem p, int rows) =>
        !p.TransB && p.BSource is null && Kernel == KernelKind.Vector512x8x32 && rows <= InPlaceBMaxRows;

    /// <summary>
    /// C[ic .. ic+mc, j .. j+cols] (+)= alpha · (packed A block) · (one B panel, steps bStep floats apart:
    /// NR when packed) over one K chunk: full MR x NR tiles through the micro-kernel, edge tiles through a
    /// scratch tile. A panel of fewer than NR columns must be packed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyPanel(in Problem p, float* ap, int ic, int mc, float* bPanel, nint bStep, int j, int cols, int kc, float beta, float* tile)
    {
        Blocking bl = Blocks;
        int mr = bl.MR, nr = bl.NR;
        int mPanels = (mc + mr - 1) / mr;
        for (int ip = 0; ip < mPanels; ip++)
        {
            int rows = Math.Min(mr, mc - ip * mr);
            float* aPanel = ap + (nint)ip * mr * kc;
            float* cTile = p.C + (nint)(ic + ip * mr) * p.Ldc + j;
            if (rows == mr && cols == nr)
            {
                RunKernel(kc, aPanel, bPanel, bStep, cTile, p.Ldc, p.Alpha, beta);
            }
            else if (rows == mr && cols <= 16 && Kernel == KernelKind.Vector512x8x32)
            {
                // Narrow edge (n = 10): half the kernel, stored through a lane mask.
                Kernel8x16Masked(kc, aPanel, bPanel, cTile, p.Ldc, p.Alpha, beta, cols);
            }
            else
            {
                // Edge tile: the kernel writes the raw sums to a scratch tile, and only
                // the part inside C is combined, with the same arithmetic as the kernel.
                if (Kernel == KernelKind.Vector512x8x32 && cols <= 16)
                    Kernel8x16(kc, aPanel, bPanel, tile, nr, 1f, 0f);
                else
                    RunKernel(kc, aPanel, bPanel, bStep, tile, nr, 1f, 0f);
                StoreEdge(tile, nr, cTile, p.Ldc, rows, cols, p.Alpha, beta);
            }
        }
    }

    /// <summary>The micro-kernel in use on one tile; only the Vector512 kernel reads B steps other than NR apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void RunKernel(int kc, float* a, float* b, nint bStep, float* c, int ldc, float alpha, float beta)
    {
        switch (Kernel)
        {
            case KernelKind.Vector512x8x32:
                if (bStep == Blocks.NR) Kernel8x32(kc, a, b, c, ldc, alpha, beta);
                else Kernel8x32Strided(kc, a, b, bStep, c, ldc, alpha, beta);
                break;
            case KernelKind.Vector256x6x16: Kernel6x16(kc, a, b, c, ldc, alpha, beta); break;
            default: Kernel4x2Scalar(kc, a, b, c, ldc, alpha, beta); break;
        }
    }

    /// <summary><c>C = alpha * t + beta * C</c> on a rows x cols corner (beta 0: C is not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void StoreEdge(float* t, int ldt, float* c, int ldc, int rows, int cols, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* ti = t + (nint)i * ldt;
            float* ci = c + (nint)i * ldc;
            if (beta == 0f)
                for (int j = 0; j < cols; j++) ci[j] = ti[j] * alpha;
            else
                for (int j = 0; j < cols; j++) ci[j] = ti[j] * alpha + ci[j] * beta;
        }
    }

    /// <summary>C = beta * C (beta 0: C = 0, old values ignored): the whole answer when k or alpha is 0.</summary>
    private static unsafe void ScaleC(float* c, int ldc, int m, int n, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (nint)i * ldc;
            if (beta == 0f) new Span<float>(ci, n).Clear();
            else if (beta != 1f) for (int j = 0; j < n; j++) ci[j] *= beta;
        }
    }
}
