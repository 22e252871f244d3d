namespace ScratchNet;

/// <summary>
/// A thread count in effect on one thread, from <see cref="Compute.UseThreads"/>; disposing it restores
/// the count that was in effect before. Disposing a default instance does nothing.
/// </summary>
public readonly struct ThreadCountScope : IDisposable
{
    private readonly int _previous;
    private readonly int _thread; // the managed thread id of the owner; 0 for a default instance

    internal ThreadCountScope(int previous)
    {
        _previous = previous;
        _thread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Restores the thread count in effect before the scope was opened.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that opened the scope.</exception>
    public void Dispose()
    {
        if (_thread == 0) return;
        if (_thread != Environment.CurrentManagedThreadId)
            throw new InvalidOperationException("A thread-count scope must be disposed on the thread that opened it (it sets that thread's Compute.Threads).");
        Compute.Restore(_previous);
    }
}
