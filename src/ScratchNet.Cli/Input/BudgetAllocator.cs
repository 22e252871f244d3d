using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.Memory;

namespace ScratchNet.Cli.Input;

/// <summary>
/// An ImageSharp allocator for one decode: managed arrays (so that the hostile tests can measure them
/// and the collector frees them), and at most <paramref name="budgetBytes"/> of them alive at once.
/// </summary>
/// <remarks>
/// ImageSharp's own <c>AllocationLimitMegabytes</c> bounds each buffer, not their sum: an animated
/// file of thousands of tiny frames would still allocate a full canvas for each. Past the budget the
/// allocation throws <see cref="InvalidMemoryOperationException"/>, which the reader reports as one line.
/// </remarks>
internal sealed class BudgetAllocator(long budgetBytes) : MemoryAllocator
{
    private readonly SimpleGcMemoryAllocator _arrays = new();
    private long _live;

    /// <summary>The most bytes alive at any time during the decode so far.</summary>
    public long PeakBytes { get; private set; }

    protected override int GetBufferCapacityInBytes() => 16 << 20;

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        if (length < 0) throw new InvalidMemoryOperationException($"a buffer of {length} values was asked for");
        long bytes = (long)length * Unsafe.SizeOf<T>();
        long live = Interlocked.Add(ref _live, bytes);
        if (live > budgetBytes)
        {
            Interlocked.Add(ref _live, -bytes);
            throw new InvalidMemoryOperationException($"decoding needs more than {budgetBytes:N0} bytes at once, more than the image's size allows");
        }
        PeakBytes = Math.Max(PeakBytes, live);
        return new Owner<T>(_arrays.Allocate<T>(length, options), this, bytes);
    }

    private void Release(long bytes) => Interlocked.Add(ref _live, -bytes);

    private sealed class Owner<T>(IMemoryOwner<T> inner, BudgetAllocator allocator, long bytes) : IMemoryOwner<T>
    {
        private int _disposed;

        public Memory<T> Memory => inner.Memory;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            inner.Dispose();
            allocator.Release(bytes);
        }
    }
}
