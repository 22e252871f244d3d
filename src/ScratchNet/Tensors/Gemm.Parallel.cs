using ScratchNet.Threading;

namespace ScratchNet.Tensors;

// Threads split C into a fixed grid of rectangles whose edges fall on the MR x NR tile grid; each
// thread runs the ordinary blocked algorithm on its rectangles. No thread adds into an element
// another thread touches, and the K chunking never changes, so the result is bit-identical for
// any thread count. Small products stay on the calling thread: waking a worker costs microseconds.
// The threads are the shared WorkerPool's, so consecutive GEMMs and element-wise passes reuse warm threads.
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

    /// <summary>Runs <paramref name="problem"/> as a rowParts x colParts split of C on that many threads.</summary>
    private static void RunGrid(in Problem problem, int rowParts, int colParts)
    {
        var work = GridWork.Rent(problem, rowParts, colParts);
        try
        {
            // Workers busy with another job (a part of it may be this very call): the whole product as one
            // region here, the same bits, and fewer panels packed than part after part.
            if (!WorkerPool.TryRun(work, rowParts * colParts, rowParts * colParts)) MultiplyRegion(problem, 0, problem.M, 0, problem.N);
        }
        finally { work.Return(); }
    }

    /// <summary>The rectangles of one product; reused per calling thread, so a product does not allocate.</summary>
    private sealed class GridWork : IPartitionedWork
    {
        [ThreadStatic] private static GridWork? t_free;

        private Problem _problem;
        private int _rowParts, _colParts;

        public static GridWork Rent(in Problem problem, int rowParts, int colParts)
        {
            var work = t_free ?? new GridWork();
            t_free = null;
            work._problem = problem;
            work._rowParts = rowParts; work._colParts = colParts;
            return work;
        }

        public void Return()
        {
            _problem = default; // hold no pointers or sources between calls
            t_free = this;
        }

        public void RunPart(int index, int parts) => Gemm.RunPart(_problem, _rowParts, _colParts, index);
    }
}
