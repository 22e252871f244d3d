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

    /// <summary>
    /// Runs parts 0 .. <paramref name="parts"/>-1 of <paramref name="work"/> on at most
    /// <paramref name="threads"/> threads: the caller and threads - 1 GEMM workers (the same pool, so
    /// consecutive GEMMs and element-wise passes reuse warm threads). More parts than threads balance
    /// the load: a thread that finishes early claims the next part.
    /// </summary>
    internal static void RunParts(IPartitionedWork work, int parts, int threads)
    {
        if (parts <= 1 || threads <= 1)
        {
            for (int i = 0; i < parts; i++) work.RunPart(i, parts);
            return;
        }
        Pool.Run(work, parts, Math.Min(parts, threads));
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
    /// the pool busy (another thread's GEMM) does the whole product itself, which gives the same bits.
    /// Parts are claimed from a shared counter, so the caller never waits for a worker that has not
    /// started yet: it does the work itself. After a job a worker spins for a short while before it
    /// sleeps, because a training step issues GEMMs microseconds apart and waking a sleeping thread
    /// costs tens of microseconds (OpenBLAS's workers spin for the same reason).
    /// </summary>
    private static class Pool
    {
        /// <summary>
        /// How long an idle worker polls for the next job before it blocks, in microseconds. Long enough
        /// to catch the next GEMM of a layer, short enough not to hold a core between layers: on our
        /// shared 2-core virtual machines, 500 µs made 18 of 27 mnist-mlp epochs run at half speed
        /// (both threads busy, twice the CPU time) against 4-6 of 27 with 0, 50 or 200 µs.
        /// </summary>
        private const long SpinMicroseconds = 50;

        /// <summary>How long an idle worker polls for the next job before it blocks.</summary>
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

        private static readonly object s_gate = new();
        private static Worker[] s_workers = [];
        private static Problem s_problem;
        private static IPartitionedWork? s_work; // null: the job is the GEMM in s_problem
        private static int s_rowParts, s_colParts, s_parts, s_next, s_pending;
        private static int s_generation;

        private sealed class Worker
        {
            public readonly SemaphoreSlim Wake = new(0);
            public int Sleeping; // 1 while the worker is (about to be) blocked on Wake
            public int Assigned; // the generation of the last job this worker is needed for
        }

        public static void Run(in Problem p, int rowParts, int colParts)
        {
            // Monitor is re-entrant: a part that itself asks for the pool on the calling thread must not
            // publish a job over the one running, so it is refused here as any other busy call is.
            if (Monitor.IsEntered(s_gate) || !Monitor.TryEnter(s_gate))
            {
                // Another thread's GEMM has the workers: do the whole product here (same bits).
                MultiplyRegion(p, 0, p.M, 0, p.N);
                return;
            }
            s_problem = p;
            s_rowParts = rowParts; s_colParts = colParts;
            RunLocked(rowParts * colParts, rowParts * colParts);
        }

        /// <summary>Runs the <paramref name="parts"/> parts of <paramref name="work"/> on the caller and the workers.</summary>
        public static void Run(IPartitionedWork work, int parts, int threads)
        {
            if (Monitor.IsEntered(s_gate) || !Monitor.TryEnter(s_gate))
            {
                for (int i = 0; i < parts; i++) work.RunPart(i, parts);
                return;
            }
            s_work = work;
            RunLocked(parts, threads);
        }

        /// <summary>Publishes the job set up by the caller (who holds <see cref="s_gate"/>), helps, waits, releases the gate.</summary>
        private static void RunLocked(int parts, int threads)
        {
            try
            {
                // Never more pool threads than processors: the extra ones would only spin while the
                // threads doing the work wait for a core (results are the same bits with any count).
                int helpers = Math.Min(threads, Environment.ProcessorCount) - 1;
                EnsureWorkers(helpers);
                s_parts = parts;
                s_pending = helpers;
                s_next = 0;
                int generation = s_generation + 1;
                for (int w = 0; w < helpers; w++) Volatile.Write(ref s_workers[w].Assigned, generation);
                Interlocked.Exchange(ref s_generation, generation); // publishes the job to spinning workers
                for (int w = 0; w < helpers; w++)
                {
                    // Whoever flips Sleeping from 1 to 0 owns the wake-up: here, we release the semaphore.
                    Worker worker = s_workers[w];
                    if (Interlocked.CompareExchange(ref worker.Sleeping, 0, 1) == 1) worker.Wake.Release();
                }
                ClaimParts();
                var spin = new SpinWait();
                while (Volatile.Read(ref s_pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            }
            finally
            {
                s_work = null;
                Monitor.Exit(s_gate);
            }
        }

        private static void ClaimParts()
        {
            int i;
            IPartitionedWork? work = s_work;
            while ((i = Interlocked.Increment(ref s_next) - 1) < s_parts)
            {
                if (work is null) RunPart(s_problem, s_rowParts, s_colParts, i);
                else work.RunPart(i, s_parts);
            }
        }

        private static void EnsureWorkers(int count)
        {
            if (s_workers.Length >= count) return;
            var workers = new Worker[count];
            Array.Copy(s_workers, workers, s_workers.Length);
            int generation = Volatile.Read(ref s_generation);
            for (int w = s_workers.Length; w < count; w++) workers[w] = StartWorker(w, generation);
            s_workers = workers;
        }

        // A method of its own: a lambda in EnsureWorkers would allocate its closure on every call.
        private static Worker StartWorker(int index, int generation)
        {
            var worker = new Worker();
            new Thread(() => WorkerLoop(worker, generation)) { IsBackground = true, Name = $"ScratchNet GEMM {index + 1}" }.Start();
            return worker;
        }

        private static void WorkerLoop(Worker self, int seen)
        {
            while (true)
            {
                int generation = WaitForJob(self, seen);
                seen = generation;
                if (Volatile.Read(ref self.Assigned) != generation) continue; // this job needs fewer helpers
                ClaimParts();
                Interlocked.Decrement(ref s_pending);
            }
        }

        /// <summary>Returns the generation of the next job after <paramref name="seen"/>: spins first, then sleeps.</summary>
        private static int WaitForJob(Worker self, int seen)
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            var spin = new SpinWait();
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
                int g = Volatile.Read(ref s_generation);
                if (g != seen) return g;
                spin.SpinOnce(sleep1Threshold: -1);
            }
            Interlocked.Exchange(ref self.Sleeping, 1);
            while (true)
            {
                int now = Volatile.Read(ref s_generation);
                // A job may have been published between the last poll and going to sleep: if we can take
                // the wake-up back ourselves, run it; otherwise the caller has released (or is about to
                // release) the semaphore, and the wait below takes that release.
                if (now != seen && Interlocked.CompareExchange(ref self.Sleeping, 0, 1) == 1) return now;
                // The time limit is a safety net, not the mechanism: should a wake-up ever go missing, the
                // worker looks again after WakeCheckMilliseconds instead of leaving its caller waiting.
                if (self.Wake.Wait(WakeCheckMilliseconds)) return Volatile.Read(ref s_generation);
            }
        }

        /// <summary>How often a sleeping worker checks for a job it was not woken for.</summary>
        private const int WakeCheckMilliseconds = 20;
    }
}
