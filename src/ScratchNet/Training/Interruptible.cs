namespace ScratchNet.Training;

/// <summary>
/// Runs a wait that the cancellation token cannot reach by itself (reading a file, a download) on a
/// thread of its own, so that a cancelled token ends the wait at once. The work may be stuck in a
/// system call that nothing interrupts (an NFS read, a device): it is abandoned, a background thread
/// that ends with the process, and its result or error is dropped.
/// </summary>
internal static class Interruptible
{
    /// <summary><paramref name="work"/>'s result, or <see cref="OperationCanceledException"/> as soon as <paramref name="cancellationToken"/> is cancelled.</summary>
    public static T Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!cancellationToken.CanBeCanceled) return work();
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        try
        {
            task.Wait(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Observe the abandoned work's error, if it ever has one, so that it is not reported as unobserved.
            task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        catch (AggregateException) { } // rethrown unwrapped below
        return task.GetAwaiter().GetResult();
    }
}
