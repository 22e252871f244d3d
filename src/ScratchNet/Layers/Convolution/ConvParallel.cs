namespace ScratchNet.Layers;

/// <summary>
/// Splits <c>count</c> independent work items into at most <see cref="Compute.Threads"/> contiguous
/// chunks. Each item writes only its own outputs and sums its terms in a fixed order, so results are
/// the same bits whatever the thread count.
/// </summary>
internal static class ConvParallel
{
    /// <summary>Below this many scalar operations in all, threads cost more than they save.</summary>
    private const long MinWorkForThreads = 1 << 15;

    /// <summary>Runs <paramref name="body"/>(state, start, end) over [0, count) in chunks.</summary>
    public static void For<TState>(int count, long workPerItem, TState state, Action<TState, int, int> body)
    {
        int threads = Math.Min(Compute.Threads, count);
        if (threads <= 1 || count * workPerItem < MinWorkForThreads)
        {
            if (count > 0) body(state, 0, count);
            return;
        }
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            int start = (int)((long)count * chunk / threads);
            int end = (int)((long)count * (chunk + 1) / threads);
            if (end > start) body(state, start, end);
        });
    }
}
