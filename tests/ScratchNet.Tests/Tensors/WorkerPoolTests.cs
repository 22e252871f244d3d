using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

/// <summary>The GEMM worker pool as a general runner of numbered parts (Gemm.RunParts).</summary>
public class WorkerPoolTests
{
    private sealed class Counting(Func<int, int, bool>? nested = null) : IPartitionedWork
    {
        public readonly int[] Runs = new int[64];

        public void RunPart(int index, int parts)
        {
            Interlocked.Increment(ref Runs[index]);
            nested?.Invoke(index, parts);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(8, 3)]
    [InlineData(33, 2)]
    public void EveryPartRunsOnce(int parts, int threads)
    {
        var work = new Counting();
        Gemm.RunParts(work, parts, threads);
        Assert.All(work.Runs.Take(parts), r => Assert.Equal(1, r));
        Assert.All(work.Runs.Skip(parts), r => Assert.Equal(0, r));
    }

    [Fact]
    public void APartMayRunPartsOfItsOwn()
    {
        // The caller holds the pool while its parts run; a part asking for it again (on the caller's
        // thread, where the lock is re-entrant, or on a worker) must run its parts itself.
        var inner = new Counting[8];
        for (int i = 0; i < inner.Length; i++) inner[i] = new Counting();
        var outer = new Counting((index, _) =>
        {
            Gemm.RunParts(inner[index], 5, 2);
            return true;
        });
        Gemm.RunParts(outer, 8, 2);
        Assert.All(outer.Runs.Take(8), r => Assert.Equal(1, r));
        foreach (var c in inner) Assert.All(c.Runs.Take(5), r => Assert.Equal(1, r));
    }
}
