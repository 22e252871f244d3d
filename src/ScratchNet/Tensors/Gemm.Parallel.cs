using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors;

// Threads split C into a fixed grid of rectangles whose edges fall on the MR x NR tile grid; each
// thread runs the ordinary blocked algorithm on its rectangles. No thread adds into an element
// another thread touches, and the K chunking never changes, so the result is bit-identical for
// any thread count. Small products stay on the calling thread: waking a worker costs microseconds.
public static partial class Gemm
{
    /// <summary>Below this many multiply-adds (m*n*k) a product runs on the calling thread.</summary>
    internal const long ParallelThreshold = 1L << 21;

    /// <summary>Packing one float costs about as much as this many multiply-adds (partition cost model).</summary>
    private const int PackCost = 24;

    /// <summary>Splits C into rowParts x colParts rectangles for up to <paramref name="threads"/> threads.</summary>
    internal static (int RowParts, int ColParts) ChoosePartition(int m, int n, int k, int threads)
    {
        if (threads <= 1 || (long)m * n * k < ParallelThreshold) return (1, 1);
        Blocking bl = Blocks;
        int tilesM = (m + bl.MR - 1) / bl.MR, tilesN = (n + bl.NR - 1) / bl.NR;
        (int, int) best = (1, 1);
        double bestCost = double.MaxValue;
        for (int rp = 1; rp <= Math.Min(threads, tilesM); rp++)
        {
            for (int cp = 1; rp * cp <= threads && cp <= tilesN; cp++)
            {
                // The slowest thread decides: its tiles' multiply-adds plus the panels it packs.
                double rows = (double)((tilesM + rp - 1) / rp) * bl.MR;
                double cols = (double)((tilesN + cp - 1) / cp) * bl.NR;
                double cost = rows * cols * k + PackCost * (rows + cols) * k;
                if (cost < bestCost * 0.999) { bestCost = cost; best = (rp, cp); }
            }
        }
        return best;
    }

    /// <summary>Runs part <paramref name="index"/> of a rowParts x colParts split of C.</summary>
    private static void RunPart(in Problem p, int rowParts, int colParts, int index)
    {
        Blocking bl = Blocks;
        int tilesM = (p.M + bl.MR - 1) / bl.MR, tilesN = (p.N + bl.NR - 1) / bl.NR;
        int r = index / colParts, c = index % colParts;
        int row0 = Math.Min(p.M, (int)((long)tilesM * r / rowParts) * bl.MR);
        int row1 = Math.Min(p.M, (int)((long)tilesM * (r + 1) / rowParts) * bl.MR);
        int col0 = Math.Min(p.N, (int)((long)tilesN * c / colParts) * bl.NR);
        int col1 = Math.Min(p.N, (int)((long)tilesN * (c + 1) / colParts) * bl.NR);
        if (row0 < row1 && col0 < col1) MultiplyRegion(p, row0, row1, col0, col1);
    }

    /// <summary>
    /// A small pool of dedicated worker threads. One parallel GEMM runs at a time; a call that finds
    /// the pool busy (another thread's GEMM) does all its parts itself, which gives the same bits.
    /// Parts are claimed from a shared counter, so the caller never waits on a worker that has not
    /// started: it simply does the work itself.
    /// </summary>
    private static class Pool
    {
        private static readonly object s_gate = new();
        private static readonly ManualResetEventSlim s_done = new(false);
        private static SemaphoreSlim[] s_wake = [];
        private static Problem s_problem;
        private static int s_rowParts, s_colParts, s_parts, s_next, s_pending;

        public static void Run(in Problem p, int rowParts, int colParts)
        {
            int parts = rowParts * colParts;
            if (!Monitor.TryEnter(s_gate))
            {
                for (int i = 0; i < parts; i++) RunPart(p, rowParts, colParts, i);
                return;
            }
            try
            {
                int helpers = parts - 1;
                EnsureWorkers(helpers);
                s_problem = p;
                s_rowParts = rowParts; s_colParts = colParts; s_parts = parts;
                s_pending = helpers;
                s_done.Reset();
                Volatile.Write(ref s_next, 0);
                for (int w = 0; w < helpers; w++) s_wake[w].Release();
                ClaimParts();
                s_done.Wait();
            }
            finally
            {
                Monitor.Exit(s_gate);
            }
        }

        private static void ClaimParts()
        {
            int i;
            while ((i = Interlocked.Increment(ref s_next) - 1) < s_parts)
                RunPart(s_problem, s_rowParts, s_colParts, i);
        }

        private static void EnsureWorkers(int count)
        {
            if (s_wake.Length >= count) return;
            var wake = new SemaphoreSlim[count];
            Array.Copy(s_wake, wake, s_wake.Length);
            for (int w = s_wake.Length; w < count; w++)
            {
                var signal = wake[w] = new SemaphoreSlim(0);
                new Thread(() => WorkerLoop(signal)) { IsBackground = true, Name = $"ScratchNet GEMM {w + 1}" }.Start();
            }
            s_wake = wake;
        }

        private static void WorkerLoop(SemaphoreSlim wake)
        {
            while (true)
            {
                wake.Wait();
                ClaimParts();
                if (Interlocked.Decrement(ref s_pending) == 0) s_done.Set();
            }
        }
    }
}
