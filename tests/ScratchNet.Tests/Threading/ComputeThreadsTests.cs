namespace ScratchNet.Tests.Threading;

/// <summary><see cref="Compute.Threads"/> is the innermost scope of the calling thread, restored when the scope ends.</summary>
public class ComputeThreadsTests
{
    /// <summary>Runs <paramref name="body"/> on a new thread (which has no scope yet) and returns what it returns.</summary>
    private static T OnNewThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = body(); }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(20)), "the thread did not finish");
        if (error is not null) throw new InvalidOperationException("the thread failed", error);
        return result;
    }

    [Fact]
    public void WithoutAScopeItIsTheProcessorCount()
    {
        Assert.Equal(Environment.ProcessorCount, OnNewThread(() => Compute.Threads));
    }

    [Fact]
    public void NestedScopesRestoreWhatWasInEffect()
    {
        var seen = OnNewThread(() =>
        {
            var values = new List<int> { Compute.Threads };
            using (Compute.UseThreads(3))
            {
                values.Add(Compute.Threads);
                using (Compute.UseThreads(1)) values.Add(Compute.Threads);
                values.Add(Compute.Threads);
                using (Compute.UseThreads(Environment.ProcessorCount + 5)) values.Add(Compute.Threads);
                values.Add(Compute.Threads);
            }
            values.Add(Compute.Threads);
            return values;
        });
        int p = Environment.ProcessorCount;
        Assert.Equal([p, 3, 1, 3, p + 5, 3, p], seen);
    }

    [Fact]
    public void AScopeIsRestoredWhenItsBlockThrows()
    {
        int after = OnNewThread(() =>
        {
            try
            {
                using var scope = Compute.UseThreads(7);
                throw new InvalidOperationException();
            }
            catch (InvalidOperationException) { }
            return Compute.Threads;
        });
        Assert.Equal(Environment.ProcessorCount, after);
    }

    [Fact]
    public void AnotherThreadDoesNotSeeTheScope()
    {
        using var ready = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int insideOther = 0;
        var other = new Thread(() =>
        {
            using (Compute.UseThreads(5))
            {
                insideOther = Compute.Threads;
                ready.Set();
                release.Wait(TimeSpan.FromSeconds(20));
            }
        });
        using (Compute.UseThreads(3))
        {
            other.Start();
            Assert.True(ready.Wait(TimeSpan.FromSeconds(20)), "the other thread did not open its scope");
            Assert.Equal(3, Compute.Threads); // the other thread's scope, open now, does not reach this one
            Assert.Equal(Environment.ProcessorCount, OnNewThread(() => Compute.Threads)); // nor this one's a third thread
            release.Set();
            Assert.True(other.Join(TimeSpan.FromSeconds(20)), "the other thread did not finish");
            Assert.Equal(3, Compute.Threads);
        }
        Assert.Equal(5, insideOther);
    }

    [Fact]
    public void BadCountsAndForeignDisposalsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.UseThreads(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute.UseThreads(-2));
        var outcome = OnNewThread(() =>
        {
            var scope = Compute.UseThreads(2);
            var error = OnNewThread(() => Record.Exception(scope.Dispose));
            int stillInEffect = Compute.Threads;
            scope.Dispose();
            default(ThreadCountScope).Dispose(); // does nothing
            return (error, stillInEffect, after: Compute.Threads);
        });
        Assert.IsType<InvalidOperationException>(outcome.error);
        Assert.Equal(2, outcome.stillInEffect);
        Assert.Equal(Environment.ProcessorCount, outcome.after);
    }
}
