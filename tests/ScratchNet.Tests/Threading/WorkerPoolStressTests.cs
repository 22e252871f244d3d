using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ScratchNet.Threading;

namespace ScratchNet.Tests.Threading;

/// <summary>
/// Thousands of short jobs through the shared worker pool, timed so that the workers are caught at
/// every stage (running, spinning for the next job, falling asleep, asleep), on every thread count
/// from 1 to above the processor count, from several callers at once, with nested use and parts that
/// throw. Every job is checked: each part ran exactly once with the right result, no part was still
/// running when Run returned or threw, never more threads than allowed. A lost wake-up or a lost
/// completion shows as a caller that stops making progress: a watchdog fails the test then instead
/// of letting the run hang. SCRATCHNET_POOL_SOAK=N multiplies the job counts for a long soak run.
/// </summary>
[Trait("Category", "Kernels")]
public class WorkerPoolStressTests
{
    /// <summary>A caller that finishes no job for this long is stuck (a job takes microseconds).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(20);

    private static int Soak => int.TryParse(Environment.GetEnvironmentVariable("SCRATCHNET_POOL_SOAK"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1;

    /// <summary>Thread counts 1 .. processors + 2 (the ones above the processor count are clamped by the pool).</summary>
    private static int[] ThreadCounts => Enumerable.Range(1, Environment.ProcessorCount + 2).ToArray();

    [Fact]
    public void ManyShortJobsOnEveryThreadCount()
    {
        var stats = RunCallers(callers: 1, jobsPerCaller: 2000 * Soak, seed: 1, throwing: false, nesting: true);
        Assert.Equal(2000 * Soak, stats.Jobs);
    }

    [Fact]
    public void SeveralCallersAtOnce()
    {
        // More callers than processors: the caller holding the pool is often preempted in the middle
        // of a job, the others run their jobs on their own threads meanwhile.
        int callers = Environment.ProcessorCount + 1;
        var stats = RunCallers(callers, jobsPerCaller: 500 * Soak, seed: 2, throwing: false, nesting: true);
        Assert.Equal(callers * 500 * Soak, stats.Jobs);
    }

    [Fact]
    public void PartsThatThrowReachTheCallerAndThePoolKeepsWorking()
    {
        var stats = RunCallers(callers: 2, jobsPerCaller: 1000 * Soak, seed: 3, throwing: true, nesting: true);
        Assert.True(stats.Thrown > 0, "no job threw");
        Assert.True(stats.Thrown < stats.Jobs, "every job threw");
    }

    [Fact]
    public void EveryWorkerAJobNeedsComesWhateverItWasDoing()
    {
        var loop = new GatheringLoop(seed: 4, jobs: 2000 * Soak);
        Watch([loop], new ConcurrentQueue<string>());
        Assert.Equal(2000 * Soak, loop.Done);
    }

    /// <summary>
    /// Jobs with one part per thread they may use, each part waiting until all have started, so every
    /// worker a job needs must wake and come: a lost wake-up leaves the others waiting.
    /// </summary>
    private sealed class GatheringLoop(int seed, int jobs) : Caller
    {
        protected override void Loop(ConcurrentQueue<string> failures)
        {
            var rng = new Random(seed);
            long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
            int refused = 0;
            while (Done < jobs && failures.IsEmpty)
            {
                int threads = ThreadCounts[rng.Next(1, ThreadCounts.Length)];
                var job = new Gathering(Math.Min(threads, Environment.ProcessorCount));
                Current = $"gathering job {Done} ({threads} threads)";
                if (WorkerPool.TryRun(job, job.Parts, threads))
                {
                    if (job.Failure is string failure) failures.Enqueue($"{Current}: {failure}");
                    Volatile.Write(ref Done, Done + 1);
                }
                else if (Stopwatch.GetTimestamp() > deadline)
                {
                    // Another test holds the workers now and then (TryRun then runs nothing); not for a minute.
                    failures.Enqueue($"the workers were busy for a minute ({Done} jobs done, {refused} refused)");
                }
                else refused++;
                // Half the pauses end near the moment the workers stop spinning and block (50 µs after their
                // last job), where a wake-up is easiest to lose.
                if (rng.Next(2) == 0) SpinFor(rng.Next(40, 70));
                else Pause(rng);
            }
        }
    }

    /// <summary>Parts that each wait (up to half of <see cref="Stall"/>) until all parts have started.</summary>
    private sealed class Gathering(int parts) : IPartitionedWork
    {
        private int _arrived;

        public int Parts => parts;

        public string? Failure { get; private set; }

        public void RunPart(int index, int parts)
        {
            Interlocked.Increment(ref _arrived);
            long start = Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (Volatile.Read(ref _arrived) < parts)
            {
                if (Stopwatch.GetElapsedTime(start) > Stall / 2)
                {
                    Failure = $"only {Volatile.Read(ref _arrived)} of {parts} threads came in {Stall.TotalSeconds / 2} s: a worker was not woken";
                    return;
                }
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private sealed record Stats(int Jobs, int Thrown);

    /// <summary>Runs <paramref name="callers"/> callers of random jobs at once and returns what they did.</summary>
    private static Stats RunCallers(int callers, int jobsPerCaller, int seed, bool throwing, bool nesting)
    {
        var loops = new CallerLoop[callers];
        for (int c = 0; c < callers; c++) loops[c] = new CallerLoop(seed * 1000 + c, jobsPerCaller, throwing, nesting);
        Watch(loops, new ConcurrentQueue<string>());
        return new Stats(loops.Sum(l => l.Done), loops.Sum(l => l.Thrown));
    }

    /// <summary>Runs each caller on a thread of its own and watches them; fails on the first failure they report or on a stall.</summary>
    private static void Watch(Caller[] callers, ConcurrentQueue<string> failures)
    {
        var threads = new Thread[callers.Length];
        for (int c = 0; c < callers.Length; c++)
        {
            var caller = callers[c];
            threads[c] = new Thread(() => caller.Run(failures)) { IsBackground = true, Name = $"pool stress caller {c}" };
            threads[c].Start();
        }
        var lastDone = new int[callers.Length];
        var lastChange = new long[callers.Length];
        Array.Fill(lastChange, Stopwatch.GetTimestamp());
        while (true)
        {
            bool finished = true;
            for (int c = 0; c < callers.Length; c++)
            {
                if (threads[c].Join(10)) continue;
                finished = false;
                int done = Volatile.Read(ref callers[c].Done);
                if (done != lastDone[c]) { lastDone[c] = done; lastChange[c] = Stopwatch.GetTimestamp(); }
                else if (Stopwatch.GetElapsedTime(lastChange[c]) > Stall)
                    Assert.Fail($"caller {c} made no progress for {Stall.TotalSeconds} s in {callers[c].Current} " +
                        $"(after {done} jobs): a lost wake-up or a lost completion. Other failures: {string.Join("; ", failures.Take(5))}");
            }
            if (finished || !failures.IsEmpty) break;
        }
        Assert.True(failures.IsEmpty, $"{failures.Count} failures, the first: {string.Join("\n", failures.Take(5))}");
    }

    /// <summary>A thread that runs jobs and counts them; <see cref="Watch"/> watches the count.</summary>
    private abstract class Caller
    {
        public int Done;
        public volatile string Current = "no job yet";

        public void Run(ConcurrentQueue<string> failures)
        {
            try { Loop(failures); }
            catch (Exception e) { failures.Enqueue($"{Current}: {e}"); }
        }

        protected abstract void Loop(ConcurrentQueue<string> failures);

        /// <summary>
        /// No pause, a short one, one around the workers' spin time (they fall asleep meanwhile), a yield,
        /// or a real sleep (they are asleep when the next job comes).
        /// </summary>
        protected static void Pause(Random rng)
        {
            int kind = rng.Next(100);
            if (kind < 40) return;
            if (kind < 60) SpinFor(rng.Next(1, 6));
            else if (kind < 82) SpinFor(rng.Next(20, 150));
            else if (kind < 90) Thread.Yield();
            else if (kind < 98) Thread.Sleep(0);
            else Thread.Sleep(1);
        }

        protected static void SpinFor(int microseconds)
        {
            long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * microseconds / 1_000_000;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
        }
    }

    /// <summary>One caller thread: random jobs with random pauses between them.</summary>
    private sealed class CallerLoop(int seed, int jobs, bool throwing, bool nesting) : Caller
    {
        public int Thrown;

        protected override void Loop(ConcurrentQueue<string> failures)
        {
            var rng = new Random(seed);
            for (int j = 0; j < jobs && failures.IsEmpty; j++)
            {
                int threads = ThreadCounts[rng.Next(ThreadCounts.Length)];
                var job = Job.Random(rng, seed * 1_000_000L + j, threads, throwing, nesting ? 0.05 : 0);
                Current = job.ToString();
                string? error = job.RunAndCheck();
                if (error is not null) failures.Enqueue(error);
                if (job.ThrowAt >= 0) Thrown++;
                Volatile.Write(ref Done, Done + 1);
                Pause(rng);
            }
        }
    }

    private sealed class PartFailed(long job, int part) : Exception($"part {part} of job {job} failed on purpose")
    {
        public long Job { get; } = job;
    }

    /// <summary>A job whose parts count their runs, compute a checkable value, may nest a job, and may throw.</summary>
    private sealed class Job : IPartitionedWork
    {
        private readonly long _id;
        private readonly int _threads;
        private readonly int[] _sizes, _runs, _threadIds;
        private readonly ulong[] _results;
        private readonly Job?[] _nested;
        private readonly ConcurrentQueue<string> _partErrors = new();
        private int _active, _maxActive, _callerThread;

        public int ThrowAt { get; }

        private Job(long id, int parts, int threads, int throwAt, int[] sizes, Job?[] nested)
        {
            _id = id; _threads = threads; ThrowAt = throwAt; _sizes = sizes; _nested = nested;
            _runs = new int[parts]; _threadIds = new int[parts]; _results = new ulong[parts];
        }

        public static Job Random(Random rng, long id, int threads, bool throwing, double nestProbability)
        {
            // Mostly few parts (the pool's common case: 4 to 16 per thread), now and then many.
            int parts = rng.Next(10) == 0 ? rng.Next(1, 200) : rng.Next(1, 33);
            var sizes = new int[parts];
            for (int i = 0; i < parts; i++) sizes[i] = rng.Next(10) == 0 ? rng.Next(2000, 20000) : rng.Next(0, 1000);
            var nested = new Job?[parts];
            for (int i = 0; i < parts; i++)
            {
                if (rng.NextDouble() < nestProbability)
                    nested[i] = Random(rng, id * 1000 + i, ThreadCounts[rng.Next(ThreadCounts.Length)], throwing: false, nestProbability: 0);
            }
            int throwAt = throwing && rng.Next(4) == 0 ? rng.Next(parts) : -1;
            return new Job(id, parts, threads, throwAt, sizes, nested);
        }

        public override string ToString() => $"job {_id} ({_runs.Length} parts, {_threads} threads, throws at {ThrowAt})";

        public void RunPart(int index, int parts)
        {
            int active = Interlocked.Increment(ref _active);
            int max;
            while (active > (max = Volatile.Read(ref _maxActive)) && Interlocked.CompareExchange(ref _maxActive, active, max) != max) { }
            try
            {
                if (parts != _runs.Length) _partErrors.Enqueue($"part {index} was told {parts} parts");
                Interlocked.Increment(ref _runs[index]);
                _threadIds[index] = Environment.CurrentManagedThreadId;
                _results[index] = Compute(_id, index, _sizes[index]);
                if (_nested[index] is Job inner)
                {
                    // On a worker the pool is busy with this job, so the nested job runs all its parts on this thread.
                    string? error = inner.RunAndCheck();
                    if (error is not null) _partErrors.Enqueue($"nested in part {index}: {error}");
                    else if (Environment.CurrentManagedThreadId != _callerThread && inner._threadIds.Any(t => t != Environment.CurrentManagedThreadId))
                        _partErrors.Enqueue($"nested {inner} in part {index} on a worker ran parts on other threads");
                }
                if (index == ThrowAt) throw new PartFailed(_id, index);
            }
            finally
            {
                Interlocked.Decrement(ref _active);
            }
        }

        /// <summary>Runs the job through the pool and returns what is wrong with the outcome, or null.</summary>
        public string? RunAndCheck()
        {
            Exception? thrown = null;
            _callerThread = Environment.CurrentManagedThreadId;
            try { WorkerPool.Run(this, _runs.Length, _threads); }
            catch (Exception e) { thrown = e; }
            if (Volatile.Read(ref _active) != 0)
                return $"{this}: {_active} parts still running when Run returned or threw";
            if (ThrowAt < 0 && thrown is not null) return $"{this}: threw {thrown}";
            if (ThrowAt >= 0 && (thrown is not PartFailed f || f.Job != _id)) return $"{this}: expected its PartFailed, got {thrown?.ToString() ?? "no exception"}";
            if (!_partErrors.IsEmpty) return $"{this}: {_partErrors.First()}";
            for (int i = 0; i < _runs.Length; i++)
            {
                int runs = _runs[i];
                if (runs > 1 || (runs == 0 && ThrowAt < 0) || (i == ThrowAt && runs != 1))
                    return $"{this}: part {i} ran {runs} times";
                if (runs == 1 && _results[i] != Compute(_id, i, _sizes[i])) return $"{this}: part {i} computed a wrong value";
            }
            int allowed = Math.Min(_threads, Environment.ProcessorCount);
            int distinct = _threadIds.Where((_, i) => _runs[i] == 1).Distinct().Count();
            if (distinct > allowed || _maxActive > allowed)
                return $"{this}: ran on {distinct} threads, up to {_maxActive} parts at once (at most {allowed} allowed)";
            if (allowed == 1 && _threadIds.Where((_, i) => _runs[i] == 1).Any(t => t != Environment.CurrentManagedThreadId))
                return $"{this}: one thread allowed, yet a part ran on another thread";
            return null;
        }

        private static ulong Compute(long id, int index, int size)
        {
            ulong h = (ulong)id * 0x9E3779B97F4A7C15UL + (ulong)index;
            for (int i = 0; i < size; i++) h = h * 6364136223846793005UL + 1442695040888963407UL;
            return h;
        }
    }
}
