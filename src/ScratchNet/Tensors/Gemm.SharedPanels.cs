using System.Runtime.CompilerServices;
using ScratchNet.Threading;

namespace ScratchNet.Tensors;

// A product whose rows fit one packed A block (every GEMM of a training step here: a batch of 64
// rows, or a short K) is shared by the threads panel by panel instead of cut into fixed rectangles:
// each thread packs A, then claims NR-wide column panels of C from a shared counter until none is
// left. On a shared machine one core is often slower for a while (another tenant, a runtime thread);
// with a fixed split the whole step waits for it, here it simply takes fewer panels. Each tile is
// computed exactly as in MultiplyFewRows (same packing, same K chunks in the same order), so the
// bits do not depend on which thread takes which panel, nor on the thread count.
public static partial class Gemm
{
    /// <summary>Whether the rows of A over one K chunk fit one packed A block (MC x KC floats).</summary>
    private static bool FitsOneRowBlock(int rows, int k) => (long)rows * Math.Min(k, Blocks.KC) <= (long)Blocks.MC * Blocks.KC;

    /// <summary>The shared counter and the problem of one panel-by-panel product; reused per calling thread.</summary>
    private sealed class SharedPanels : IPartitionedWork
    {
        [ThreadStatic] private static SharedPanels? t_free;

        private Problem _problem;
        private int _next;

        public static SharedPanels Rent(in Problem problem)
        {
            var work = t_free ?? new SharedPanels();
            t_free = null;
            work._problem = problem;
            work._next = 0;
            return work;
        }

        public void Return()
        {
            _problem = default; // hold no pointers or sources between calls
            t_free = this;
        }

        public void RunPart(int index, int parts) => MultiplySharedPanels(_problem, ref _next);
    }

    /// <summary>Runs <paramref name="problem"/> on up to <paramref name="threads"/> threads that claim column panels.</summary>
    private static void RunSharedPanels(in Problem problem, int threads)
    {
        var work = SharedPanels.Rent(problem);
        try { WorkerPool.Run(work, threads, threads); }
        finally { work.Return(); }
    }

    /// <summary>Packs all of A (every K chunk), then computes the column panels it claims from <paramref name="next"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplySharedPanels(in Problem p, ref int next)
    {
        Blocking bl = Blocks;
        int nr = bl.NR, mc = p.M, chunks = (p.K + bl.KC - 1) / bl.KC;
        int panels = (p.N + nr - 1) / nr;
        if (Volatile.Read(ref next) >= panels) return; // the others took every panel before this thread woke
        Workspace ws = Workspace.ForCurrentThread(bl);
        int chunkFloats = ((mc + bl.MR - 1) / bl.MR) * bl.MR * Math.Min(p.K, bl.KC); // a chunk's packed A (the last may be shorter)
        float* ap = ws.PackedA(chunkFloats * chunks);
        for (int c = 0; c < chunks; c++)
        {
            int pc = c * bl.KC;
            PackA(p, pc, Math.Min(bl.KC, p.K - pc), 0, mc, bl.MR, ap + (nint)c * chunkFloats);
        }
        float* bp = ws.PackedB(nr * Math.Min(p.K, bl.KC));
        bool inPlace = ReadsBInPlace(p, mc);
        int j;
        while ((j = Interlocked.Increment(ref next) - 1) < panels)
        {
            int col = j * nr, cols = Math.Min(nr, p.N - col);
            for (int c = 0; c < chunks; c++)
            {
                int pc = c * bl.KC, kc = Math.Min(bl.KC, p.K - pc);
                // Later K chunks add to what the first chunk wrote.
                float beta = c == 0 ? p.Beta : 1f;
                if (inPlace && cols == nr)
                {
                    MultiplyPanel(p, ap + (nint)c * chunkFloats, 0, mc, p.B + (nint)pc * p.Ldb + col, p.Ldb, col, cols, kc, beta, ws.Tile);
                    continue;
                }
                PackB(p, pc, kc, col, cols, nr, bp);
                MultiplyPanel(p, ap + (nint)c * chunkFloats, 0, mc, bp, nr, col, cols, kc, beta, ws.Tile);
            }
        }
    }
}
