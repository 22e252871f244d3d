namespace ScratchNet.Threading;

/// <summary>
/// Work cut into numbered parts for <see cref="WorkerPool"/>. During one run each part index in
/// [0, parts) is passed to <see cref="RunPart"/> exactly once (unless a part throws: then parts not yet
/// started may be skipped), on any thread, in any order, concurrently with the other parts.
/// </summary>
/// <remarks>
/// Parts must not wait for one another: a part may be run after the others finished, on the same
/// thread. For results that do not depend on the thread count, the values a part computes must not
/// depend on which thread runs it nor on how many run: element-wise work split by index range is such
/// work. How a job is cut is the caller's choice, never the pool's.
/// </remarks>
public interface IPartitionedWork
{
    /// <summary>Does part <paramref name="index"/> of <paramref name="parts"/>.</summary>
    void RunPart(int index, int parts);
}
