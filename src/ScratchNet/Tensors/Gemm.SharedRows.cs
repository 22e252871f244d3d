using System.Runtime.CompilerServices;
using ScratchNet.Threading;

namespace ScratchNet.Tensors;

// A tall product with a short K (a weight gradient at a small batch, 784 x 16 x 256; an input gradient
// at a large one, 4096 x 10 x 128) has few, short B panels and many rows. Shared panel by panel, every
// thread would pack all of the tall A and write C in 32-column strips down all its rows, and with two
// threads the strips of one row share cache lines that then move between cores. Here each thread packs
// all of op(B) once (it is shorter than A: at most MC x KC floats, L2-sized), then claims blocks of
// rows of C from a shared counter, packs their rows of A and computes each block across every panel, so
// C is written in long runs, one block at a time. K is one chunk, and each tile goes through
// MultiplyPanel with the same packed operands as in MultiplyFewRows, so the bits are the same whichever
// thread takes which block, and whatever the thread count. One thread has no one to share lines
// with, and there the panel-by-panel order (MultiplyFewRows) measured a few percent faster, so this
// path is for several threads only.
public static partial class Gemm
{
    /// <summary>
    /// Whether <see cref="MultiplyRowBlocks"/> computes this product on several threads: K is one chunk, op(A) is taller than
    /// op(B) is wide, and A's rows fit one packed block (so all of op(B), k x n with n &lt; m, does too).
    /// </summary>
    private static bool IsTallShortK(int m, int n, int k) => k <= Blocks.KC && m > n && FitsOneRowBlock(m, k);

    /// <summary>Rows of C per claim: about four blocks per thread, a multiple of MR, at most MC.</summary>
    internal static int RowBlock(int m, int threads)
    {
        Blocking bl = Blocks;
        int rows = (m + 4 * threads - 1) / (4 * threads);
        rows = (rows + bl.MR - 1) / bl.MR * bl.MR;
        return Math.Clamp(rows, bl.MR, bl.MC / bl.MR * bl.MR);
    }

    /// <summary>The shared counter and the problem of one block-by-block product; reused per calling thread.</summary>
    private sealed class SharedRows : IPartitionedWork
    {
        [ThreadStatic] private static SharedRows? t_free;

        private Problem _problem;
        private int _blockRows, _next;
        private bool _narrow;

        public static SharedRows Rent(in Problem problem, int blockRows, bool narrow)
        {
            var work = t_free ?? new SharedRows();
            t_free = null;
            work._problem = problem;
            work._blockRows = blockRows;
            work._narrow = narrow;
            work._next = 0;
            return work;
        }

        public void Return()
        {
            _problem = default; // hold no pointers or sources between calls
            t_free = this;
        }

        public void RunPart(int index, int parts)
        {
            if (_narrow) MultiplyNarrowBlocks(_problem, _blockRows, ref _next);
            else MultiplyRowBlocks(_problem, _blockRows, ref _next);
        }
    }

    /// <summary>
    /// Runs a tall short-K product (<see cref="IsTallShortK"/>), or a narrow one (<see cref="IsNarrow"/>)
    /// when <paramref name="narrow"/> is set, on up to <paramref name="threads"/> threads that claim row blocks.
    /// </summary>
    private static void RunRowBlocks(in Problem problem, int threads, bool narrow)
    {
        int blockRows = RowBlock(problem.M, threads);
        int blocks = (problem.M + blockRows - 1) / blockRows;
        threads = Math.Min(threads, blocks);
        if (threads <= 1)
        {
            int next = 0;
            if (narrow) MultiplyNarrowBlocks(problem, blockRows, ref next);
            else MultiplyRowBlocks(problem, blockRows, ref next);
            return;
        }
        var work = SharedRows.Rent(problem, blockRows, narrow);
        try { WorkerPool.Run(work, threads, threads); }
        finally { work.Return(); }
    }

    /// <summary>Packs all of op(B) (one K chunk), then computes the blocks of <paramref name="blockRows"/> rows it claims from <paramref name="next"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplyRowBlocks(in Problem p, int blockRows, ref int next)
    {
        Blocking bl = Blocks;
        int nr = bl.NR, kc = p.K;
        int blocks = (p.M + blockRows - 1) / blockRows;
        if (Volatile.Read(ref next) >= blocks) return; // the others took every block before this thread woke
        int panels = (p.N + nr - 1) / nr;
        Workspace ws = Workspace.ForCurrentThread(bl);
        float* bp = ws.PackedB(panels * nr * kc);
        PackB(p, 0, kc, 0, p.N, nr, bp);
        float* ap = ws.PackedA(blockRows * kc);
        int b;
        while ((b = Interlocked.Increment(ref next) - 1) < blocks)
        {
            int row = b * blockRows, rows = Math.Min(blockRows, p.M - row);
            PackA(p, 0, kc, row, rows, bl.MR, ap);
            for (int jp = 0; jp < panels; jp++)
                MultiplyPanel(p, ap, row, rows, bp + (nint)jp * nr * kc, nr, jp * nr, Math.Min(nr, p.N - jp * nr), kc, p.Beta, ws.Tile);
        }
    }
}
