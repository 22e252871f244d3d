namespace ScratchNet;

/// <summary>
/// Compute settings. Results never depend on <see cref="Threads"/>: every parallel
/// kernel splits work by output element, and each element sums its terms in a fixed order.
/// </summary>
public static class Compute
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>The most threads a kernel may use (at least 1). Defaults to the processor count.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"Threads must be at least 1 (got {value}).");
            _threads = value;
        }
    }

    /// <summary>Sets <see cref="Threads"/> until the scope is disposed.</summary>
    public static IDisposable UseThreads(int threads)
    {
        int previous = Threads;
        Threads = threads;
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => Threads = previous;
    }
}
