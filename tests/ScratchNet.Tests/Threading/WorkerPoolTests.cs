using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ScratchNet.Tests.Support;
using ScratchNet.Threading;

namespace ScratchNet.Tests.Threading;

/// <summary>
/// The shared worker pool as a runner of numbered parts: its contract, case by case (the stress test does
/// it at random). Each test runs on a thread of its own and fails after <see cref="Patience"/>, so a pool
/// that hangs fails the test instead of hanging the run.
/// </summary>
[Trait("Category", "Kernels")]
public class WorkerPoolTests
{
    /// <summary>How long a test waits for something another thread does before it fails (never reached when things work).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="test"/> on a new thread; fails if it has not finished within <see cref="Patience"/>.</summary>
    private static void WithinPatience(Action test)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { test(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }) { IsBackground = true, Name = "pool test" };
        thread.Start();
        Assert.True(thread.Join(Patience), $"the test did not finish in {Patience.TotalSeconds} s: the pool hangs");
        failure?.Throw();
    }

    private sealed class Counting(Action<int>? inPart = null) : IPartitionedWork
    {
        public readonly int[] Runs = new int[256];
        public readonly int[] Threads = new int[256];

        public void RunPart(int index, int parts)
        {
            Interlocked.Increment(ref Runs[index]);
            Threads[index] = Environment.CurrentManagedThreadId;
            inPart?.Invoke(index);
        }
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(7, 2)]
    [InlineData(8, 3)]
    [InlineData(33, 2)]
    [InlineData(200, 64)]
    public void EveryPartRunsOnce(int parts, int threads)
    {
        WithinPatience(() =>
        {
            var work = new Counting();
            WorkerPool.Run(work, parts, threads);
            Assert.All(work.Runs.Take(parts), r => Assert.Equal(1, r));
            Assert.All(work.Runs.Skip(parts), r => Assert.Equal(0, r));
        });
    }

    [Fact]
    public void OneThreadRunsThePartsOnTheCallerInOrder()
    {
        WithinPatience(() =>
        {
            var order = new List<int>();
            var work = new Counting(order.Add);
            WorkerPool.Run(work, 9, threads: 1);
            Assert.Equal(Enumerable.Range(0, 9), order);
            Assert.All(work.Threads.Take(9), t => Assert.Equal(Environment.CurrentManagedThreadId, t));
        });
    }

    [Fact]
    public void NeverMoreThreadsThanProcessors()
    {
        WithinPatience(() =>
        {
            for (int attempt = 0; attempt < 5; attempt++)
            {
                var work = new Counting(_ => Thread.SpinWait(2000));
                WorkerPool.Run(work, 64, threads: 4 * Environment.ProcessorCount);
                Assert.All(work.Runs.Take(64), r => Assert.Equal(1, r));
                Assert.InRange(work.Threads.Take(64).Distinct().Count(), 1, Environment.ProcessorCount);
            }
        });
    }

    [Fact]
    public void APartMayRunPartsOfItsOwn()
    {
        WithinPatience(() =>
        {
            // The caller holds the workers while its parts run; a part asking for them again (on the
            // caller's thread or on a worker) runs its parts itself.
            var inner = new Counting[8];
            for (int i = 0; i < inner.Length; i++) inner[i] = new Counting();
            var outer = new Counting(index => WorkerPool.Run(inner[index], 5, 2));
            WorkerPool.Run(outer, 8, 2);
            Assert.All(outer.Runs.Take(8), r => Assert.Equal(1, r));
            for (int i = 0; i < inner.Length; i++)
            {
                Assert.All(inner[i].Runs.Take(5), r => Assert.Equal(1, r));
                Assert.All(inner[i].Threads.Take(5), t => Assert.Equal(outer.Threads[i], t));
            }
        });
    }

    [Fact]
    public void TryRunRefusesWhileTheWorkersAreBusyAndRunsNothing()
    {
        WithinPatience(() =>
        {
            var refusals = new ConcurrentBag<bool>();
            var inner = new Counting();
            var outer = new Counting(_ => refusals.Add(!WorkerPool.TryRun(inner, 4, 2)));
            // Another test may hold the workers for a moment: then this TryRun is refused too, and is tried again.
            var deadline = DateTime.UtcNow + Patience;
            while (!WorkerPool.TryRun(outer, 6, 2))
                Assert.True(DateTime.UtcNow < deadline, "the workers stayed busy");
            Assert.Equal(6, refusals.Count);
            Assert.All(refusals, Assert.True);
            Assert.All(inner.Runs, r => Assert.Equal(0, r));
            Assert.False(WorkerPool.TryRun(inner, 4, threads: 1));
            Assert.False(WorkerPool.TryRun(inner, 1, threads: 2));
            Assert.All(inner.Runs, r => Assert.Equal(0, r));
        });
    }

    [Fact]
    public void ExceptionsReachTheCallerAndThePoolKeepsWorking()
    {
        WithinPatience(() =>
        {
            for (int attempt = 0; attempt < 50; attempt++)
            {
                var failing = new Counting(index => throw new InvalidOperationException($"part {index}"));
                var e = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(failing, 16, 2));
                Assert.StartsWith("part ", e.Message);
                Assert.All(failing.Runs.Take(16), r => Assert.InRange(r, 0, 1));
                var work = new Counting();
                WorkerPool.Run(work, 16, 2);
                Assert.All(work.Runs.Take(16), r => Assert.Equal(1, r));
            }
        });
    }

    [Fact]
    public void TheCallerHearsOfAFailureOnlyAfterThePartsRunningOnWorkersFinish()
    {
        WithinPatience(() =>
        {
            int caller = Environment.CurrentManagedThreadId, checkedRuns = 0;
            var deadline = DateTime.UtcNow + Patience;
            while (checkedRuns < 5)
            {
                Assert.True(DateTime.UtcNow < deadline, $"a worker took a part in only {checkedRuns} of the runs");
                int workerParts = 0, workerPartsDone = 0;
                var work = new Counting(index =>
                {
                    if (Environment.CurrentManagedThreadId == caller)
                    {
                        // Give a worker time to take a part, then fail while it is still in it.
                        var until = DateTime.UtcNow.AddMilliseconds(20);
                        while (Volatile.Read(ref workerParts) == 0 && DateTime.UtcNow < until) Thread.SpinWait(100);
                        throw new InvalidOperationException("the caller's part failed");
                    }
                    Interlocked.Increment(ref workerParts);
                    Thread.Sleep(30);
                    Interlocked.Increment(ref workerPartsDone);
                });
                Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(work, 4, 2));
                Assert.Equal(Volatile.Read(ref workerParts), Volatile.Read(ref workerPartsDone));
                if (workerParts > 0) checkedRuns++;
            }
        });
    }

    [Fact]
    public void WorkersRunPartsWithTheCallersThreadCount()
    {
        WithinPatience(() =>
        {
            var seen = new int[64];
            var work = new Counting(index => seen[index] = Compute.Threads);
            using (Compute.UseThreads(1))
            {
                var deadline = DateTime.UtcNow + Patience;
                do
                {
                    Assert.True(DateTime.UtcNow < deadline, "no part ran on a worker");
                    Array.Clear(work.Threads);
                    WorkerPool.Run(work, 64, threads: 2);
                    Assert.All(seen, t => Assert.Equal(1, t));
                }
                while (work.Threads.Take(64).All(t => t == Environment.CurrentManagedThreadId) && Environment.ProcessorCount > 1);
            }
        });
    }

    [Fact]
    public void AJobDoesNotAllocate()
    {
        WithinPatience(() =>
        {
            var work = new Counting();
            Allocations.AssertNone(() => WorkerPool.Run(work, 8, 2), what: "WorkerPool.Run");
        });
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        WithinPatience(() =>
        {
            Assert.Throws<ArgumentNullException>(() => WorkerPool.Run(null!, 2, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Run(new Counting(), -1, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Run(new Counting(), 2, -1));
        });
    }

    [Fact]
    public void Without_threads_the_pool_is_capped_at_one_thread_and_every_job_runs_on_its_caller()
    {
        Assert.True(WorkerPool.ThreadsSupported, "the desktop starts threads");
        Assert.Equal(Environment.ProcessorCount, WorkerPool.MaxThreads);
        // A browser (single-threaded WebAssembly): one thread whatever the processor count, so no helper for any job.
        Assert.Equal(1, WorkerPool.MaxThreadsOn(threadsSupported: false, processors: 16));
        Assert.Equal(16, WorkerPool.MaxThreadsOn(threadsSupported: true, processors: 16));
        foreach (int threads in new[] { 1, 2, 8, 64 })
            foreach (int parts in new[] { 0, 1, 3, 100 })
            {
                Assert.Equal(0, WorkerPool.HelpersFor(threads, parts, maxThreads: 1));
                Assert.Equal(Math.Max(0, Math.Min(Math.Min(threads, parts), 16) - 1), WorkerPool.HelpersFor(threads, parts, maxThreads: 16));
            }
    }
}
