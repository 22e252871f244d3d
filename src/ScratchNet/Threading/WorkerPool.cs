using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Threading;

/// <summary>
/// The process's worker threads for the compute kernels (GEMM, convolution, activations, optimizer
/// steps): runs the numbered parts of an <see cref="IPartitionedWork"/> on the calling thread and up to
/// threads - 1 dedicated workers.
/// </summary>
/// <remarks>
/// <para>
/// Contract of <see cref="Run"/> and <see cref="TryRun"/>: every part runs exactly once, and the call
/// returns only when every part has finished. If parts throw, the parts not yet started are skipped,
/// and the first exception is rethrown on the caller (with its original stack) once every part already
/// started has finished; the pool keeps working afterwards. The caller runs parts itself and never waits
/// for a worker that has not yet taken a part, so a worker that is slow to wake costs speed, never
/// progress. Workers run their parts with the caller's <see cref="Compute.Threads"/> in effect.
/// </para>
/// <para>
/// One job uses the workers at a time. A call that finds them busy (a part asking for the pool, on the
/// caller or on a worker, or another thread's job) runs its parts on its own thread, in index order;
/// since the pool never decides how work is cut, the results are the same bits as on the workers. There
/// are never more pool threads than processors, whatever is asked. A job does not allocate.
/// </para>
/// <para>
/// Between jobs a worker spins for about 50 µs before it blocks, because a training step issues jobs
/// microseconds apart and waking a blocked thread costs tens of microseconds (OpenBLAS's workers spin for
/// the same reason). Blocking is an event count: a worker announces that it is about to sleep, then looks
/// for a new job once more under its lock before it waits; the caller publishes the job with a full
/// fence, then wakes (under that lock) each worker it needs that announced sleep. Either the caller sees
/// the announcement or the worker sees the job, so no wake-up is lost and there is no polling.
/// </para>
/// </remarks>
public static class WorkerPool
{
    /// <summary>
    /// How long an idle worker polls for the next job before it blocks, in microseconds. Long enough
    /// to catch the next job of a layer, short enough not to hold a core between layers: on our shared
    /// 2-core virtual machines, 500 µs made 18 of 27 mnist-mlp epochs run at half speed (both threads
    /// busy, twice the CPU time) against 4-6 of 27 with 0, 50 or 200 µs.
    /// </summary>
    private const long SpinMicroseconds = 50;

    private static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    // Declared before MaxThreads, which reads it: static initialisers run in textual order.
    /// <summary>
    /// False where <see cref="Thread.Start()"/> throws: a browser or WASI build of .NET without threads.
    /// A multithreaded WebAssembly build is not told apart; it runs single-threaded too.
    /// </summary>
    public static bool ThreadsSupported { get; } = !OperatingSystem.IsBrowser() && !OperatingSystem.IsWasi();

    /// <summary>
    /// The most threads a job may use, the caller included: the processor count, or 1 where threads
    /// cannot be started (single-threaded WebAssembly in a browser or under WASI), so that every job
    /// runs on its caller there and no worker is ever started.
    /// </summary>
    public static int MaxThreads { get; } = MaxThreadsOn(ThreadsSupported, Environment.ProcessorCount);

    /// <summary>The pool's thread cap on a platform where threads are (or are not) supported with <paramref name="processors"/> processors.</summary>
    internal static int MaxThreadsOn(bool threadsSupported, int processors) => threadsSupported ? Math.Max(1, processors) : 1;

    /// <summary>Workers a job of <paramref name="parts"/> parts asking for <paramref name="threads"/> threads would use under a cap of <paramref name="maxThreads"/>: 0 runs it all on the caller.</summary>
    internal static int HelpersFor(int threads, int parts, int maxThreads) => Math.Max(0, Math.Min(Math.Min(threads, parts), maxThreads) - 1);

    // The counters every thread of a job touches, each on a cache line of its own.
    [StructLayout(LayoutKind.Explicit, Size = 5 * 64)]
    private struct Counters
    {
        /// <summary>The job workers wait for: generation in the high 32 bits, helpers wanted in the low 32.</summary>
        [FieldOffset(64)] public long Published;

        /// <summary>Generation in the high 32 bits, parts not yet taken in the low 32: a part is taken by a compare-exchange that also checks the generation.</summary>
        [FieldOffset(128)] public long Claim;

        /// <summary>Parts of the current job not yet counted finished (a thread counts its parts when it finds none left to take).</summary>
        [FieldOffset(192)] public int Unfinished;
    }

    private static Counters s_counters;

    /// <summary>1 while a job holds the workers.</summary>
    private static int s_busy;

    // The current job. Written by the caller holding the workers before it publishes the job; read by a
    // thread only once it has taken a part, which keeps the job (and these fields) from ending meanwhile.
    private static IPartitionedWork? s_work;
    private static int s_parts, s_callerThreads;
    private static ExceptionDispatchInfo? s_error;

    /// <summary>Only the caller holding the workers reads or grows this.</summary>
    private static Worker[] s_workers = [];

    private sealed class Worker(int index)
    {
        public readonly int Index = index;

        /// <summary>1 from just before the worker's last look for a job until it wakes up: a caller must wake it.</summary>
        public int Sleeping;
    }

    /// <summary>
    /// Runs parts 0 .. <paramref name="parts"/> - 1 of <paramref name="work"/> on at most
    /// <paramref name="threads"/> threads (0 means <see cref="Compute.Threads"/>), the caller included,
    /// and returns when all have finished. More parts than threads balance the load: a thread that
    /// finishes early takes the next part. When the workers are busy, or one thread is asked for, the
    /// parts run on the calling thread in index order. See the type's remarks for the contract.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> or <paramref name="threads"/> is negative.</exception>
    public static void Run(IPartitionedWork work, int parts, int threads)
    {
        if (TryRun(work, parts, threads)) return;
        for (int i = 0; i < parts; i++) work.RunPart(i, parts);
    }

    /// <summary>
    /// Like <see cref="Run"/> when the workers can help: returns true once every part has finished. When
    /// they cannot (busy with another job, or at most one thread would be used), returns false having run
    /// nothing, so the caller may do the whole job its own way (for instance as one piece).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> or <paramref name="threads"/> is negative.</exception>
    public static bool TryRun(IPartitionedWork work, int parts, int threads)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (threads == 0) threads = Compute.Threads;
        int helpers = HelpersFor(threads, parts, MaxThreads);
        if (helpers < 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0) return false;
        ExceptionDispatchInfo? error;
        try { error = RunOnWorkers(work, parts, helpers); }
        finally { Volatile.Write(ref s_busy, 0); }
        error?.Throw();
        return true;
    }

    /// <summary>Publishes the job, wakes the workers it needs, takes parts until none is left, waits for the parts taken by workers.</summary>
    private static ExceptionDispatchInfo? RunOnWorkers(IPartitionedWork work, int parts, int helpers)
    {
        EnsureWorkers(helpers);
        int generation = unchecked(Generation(s_counters.Published) + 1);
        s_work = work;
        s_parts = parts;
        s_callerThreads = Compute.Threads;
        s_error = null;
        s_counters.Unfinished = parts;
        Volatile.Write(ref s_counters.Claim, Pack(generation, parts));
        // The full fence orders the job before the reads of Sleeping below (the event count's other half).
        Interlocked.Exchange(ref s_counters.Published, Pack(generation, helpers));
        Worker[] workers = s_workers;
        for (int w = 0; w < helpers; w++)
        {
            Worker worker = workers[w];
            if (Volatile.Read(ref worker.Sleeping) == 0) continue;
            lock (worker) Monitor.Pulse(worker);
        }
        TakeParts(generation);
        // Every part is taken now; those still running are on workers that took them, so this ends.
        var spin = new SpinWait();
        while (Volatile.Read(ref s_counters.Unfinished) != 0) spin.SpinOnce(sleep1Threshold: -1);
        var error = s_error;
        s_work = null; // hold no reference between jobs
        s_error = null;
        return error;
    }

    /// <summary>Takes and runs parts of job <paramref name="generation"/> until none is left; a late thread takes nothing of a later job.</summary>
    private static void TakeParts(int generation)
    {
        // Parts this thread finished, counted once at the end (one atomic add per thread, not per part):
        // until then they keep the job, and so the fields read below, from ending.
        int finished = 0;
        ThreadCountScope scope = default;
        while (true)
        {
            long claim = Volatile.Read(ref s_counters.Claim);
            int left = (int)claim;
            if (Generation(claim) != generation || left == 0) break;
            if (Interlocked.CompareExchange(ref s_counters.Claim, claim - 1, claim) != claim) continue;
            if (finished++ == 0) scope = Compute.UseThreads(s_callerThreads);
            try
            {
                if (Volatile.Read(ref s_error) is null) s_work!.RunPart(s_parts - left, s_parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
            }
        }
        scope.Dispose();
        if (finished != 0) Interlocked.Add(ref s_counters.Unfinished, -finished);
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        int generation = Generation(s_counters.Published);
        for (int w = s_workers.Length; w < count; w++) workers[w] = StartWorker(w, generation);
        s_workers = workers;
    }

    // A method of its own: a lambda in EnsureWorkers would allocate its closure on every call.
    private static Worker StartWorker(int index, int generation)
    {
        var worker = new Worker(index);
        new Thread(() => WorkerLoop(worker, generation)) { IsBackground = true, Name = $"ScratchNet worker {index + 1}" }.Start();
        return worker;
    }

    private static void WorkerLoop(Worker self, int seen)
    {
        while (true)
        {
            long job = WaitForJob(self, seen);
            seen = Generation(job);
            if (self.Index < Helpers(job)) TakeParts(seen);
        }
    }

    /// <summary>Returns the first job published after generation <paramref name="seen"/>: spins first, then blocks.</summary>
    private static long WaitForJob(Worker self, int seen)
    {
        long job;
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        var spin = new SpinWait();
        do
        {
            job = Volatile.Read(ref s_counters.Published);
            if (Generation(job) != seen) return job;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        while (Stopwatch.GetTimestamp() < until);

        // The full fence orders the announcement before the last look (the caller's half is in RunOnWorkers).
        Interlocked.Exchange(ref self.Sleeping, 1);
        lock (self)
        {
            while (Generation(job = Volatile.Read(ref s_counters.Published)) == seen) Monitor.Wait(self);
        }
        Volatile.Write(ref self.Sleeping, 0);
        return job;
    }

    private static long Pack(int generation, int count) => ((long)generation << 32) | (uint)count;

    private static int Generation(long packed) => (int)(packed >> 32);

    private static int Helpers(long packed) => (int)packed;
}
