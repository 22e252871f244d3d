namespace ScratchNet.Tensors;

/// <summary>
/// Work cut into numbered parts that may run on any thread, in any order (see <see cref="Gemm.RunParts(IPartitionedWork, int, int)"/>).
/// For results that do not depend on the thread count, a part must compute the same values whatever
/// the number of parts: element-wise work split by index range does.
/// </summary>
internal interface IPartitionedWork
{
    /// <summary>Does part <paramref name="index"/> of <paramref name="parts"/>.</summary>
    void RunPart(int index, int parts);
}
