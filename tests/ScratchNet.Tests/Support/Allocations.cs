namespace ScratchNet.Tests.Support;

/// <summary>
/// Asserts that a repeating step (a kernel call, a training step) allocates nothing on the managed
/// heap once it has warmed up: buffers are reused, no closures, no boxing, no LINQ.
/// </summary>
/// <remarks>
/// By default only the calling thread is measured (<see cref="GC.GetAllocatedBytesForCurrentThread"/>),
/// which is exact and safe while other tests run in parallel. A multithreaded step allocates on
/// other threads too: pass <c>allThreads: true</c>, which measures the whole process
/// (<see cref="GC.GetTotalAllocatedBytes(bool)"/>), and put the test in
/// <c>[Collection(Allocations.Serial)]</c> so no other test runs meanwhile. The steady state is
/// measured in a few trials and the smallest count is kept, so an unrelated allocation (the test
/// runner reporting a result) cannot fail the test, while a real per-step allocation shows in every trial.
/// </remarks>
public static class Allocations
{
    /// <summary>The name of a test collection that never runs beside other tests (see <see cref="SerialCollection"/>).</summary>
    public const string Serial = "Allocation measurements, not parallel";

    /// <summary>Bytes allocated per run of <paramref name="repeats"/> steps after <paramref name="warmup"/> steps, the smallest of <paramref name="trials"/>.</summary>
    public static long Measure(Action step, int warmup = 3, int repeats = 10, int trials = 3, bool allThreads = false)
    {
        ArgumentNullException.ThrowIfNull(step);
        for (int i = 0; i < warmup; i++) step();
        long best = long.MaxValue;
        for (int t = 0; t < trials && best > 0; t++)
        {
            long before = Now(allThreads);
            for (int i = 0; i < repeats; i++) step();
            best = Math.Min(best, Now(allThreads) - before);
        }
        return best;
    }

    /// <summary>Fails unless <paramref name="step"/> allocates nothing in steady state (after <paramref name="warmup"/> calls).</summary>
    public static void AssertNone(Action step, int warmup = 3, int repeats = 10, bool allThreads = false, string? what = null)
    {
        long bytes = Measure(step, warmup, repeats, trials: 3, allThreads);
        if (bytes > 0)
            Assert.Fail($"{what ?? "The step"} allocated {bytes} bytes in {repeats} calls (about {bytes / repeats} per call) after {warmup} warm-up calls{(allThreads ? ", counting all threads" : "")}; expected none in steady state.");
    }

    private static long Now(bool allThreads) =>
        allThreads ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
}
