namespace ScratchNet.Layers;

/// <summary>
/// Splits <c>count</c> independent work items into contiguous chunks run by at most
/// <see cref="Compute.Threads"/> threads. Each item writes only its own outputs and sums its terms in a
/// fixed order, so results are the same bits whatever the thread count. There are a few chunks per
/// thread, so that when a worker starts late (a busy machine) the others take its share.
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
        int chunks = Math.Min(count, 4 * threads);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            int start = (int)((long)count * chunk / chunks);
            int end = (int)((long)count * (chunk + 1) / chunks);
            if (end > start) body(state, start, end);
        });
    }
}
