namespace ScratchNet;

/// <summary>
/// Compute settings, scoped to the calling thread. Results never depend on <see cref="Threads"/>: every
/// parallel kernel splits work by output element, and each element sums its terms in a fixed order.
/// </summary>
/// <example>
/// <code>
/// using (Compute.UseThreads(2))
/// {
///     trainer.Fit(trainSet); // kernels started on this thread use at most 2 threads
/// }
/// </code>
/// </example>
public static class Compute
{
    [ThreadStatic] private static int t_threads; // 0: no scope open on this thread

    /// <summary>
    /// The most threads a kernel started on the calling thread may use (at least 1): the count of the
    /// innermost <see cref="UseThreads"/> scope open on this thread, else
    /// <see cref="Environment.ProcessorCount"/>. Parts of a job running on pool workers see the count of
    /// the thread that started the job.
    /// </summary>
    public static int Threads => t_threads != 0 ? t_threads : Environment.ProcessorCount;

    /// <summary>
    /// Sets <see cref="Threads"/> for the calling thread until the returned scope is disposed, which
    /// restores the previous count. Other threads are not affected. Dispose on the same thread, innermost
    /// scope first (a <c>using</c> does both).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static ThreadCountScope UseThreads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"Threads must be at least 1 (got {threads}).");
        var scope = new ThreadCountScope(t_threads);
        t_threads = threads;
        return scope;
    }

    /// <summary>Puts back the count a scope replaced.</summary>
    internal static void Restore(int previous) => t_threads = previous;
}
