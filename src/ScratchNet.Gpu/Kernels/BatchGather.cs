using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Copies one batch out of a dataset held on the device: for r &lt; count,
/// <c>X[r, :] = data[order[start + r], :]</c> and <c>y[r] = targets[order[start + r]]</c>, so the host
/// sends only the epoch's sample order, once per epoch, and never a batch. One thread per value.
/// </summary>
internal sealed class BatchGather
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int, int, int> _gather;

    /// <summary>Compiles the kernel for <paramref name="accelerator"/>.</summary>
    public BatchGather(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _gather = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int, int, int>(Kernel);
    }

    /// <summary>Rows order[start .. start+count) of the n×<paramref name="width"/> <paramref name="data"/> into <paramref name="x"/>, their targets into <paramref name="y"/>.</summary>
    public void Run(ArrayView<float> data, ArrayView<float> targets, int width, ArrayView<int> order, int start, int count, ArrayView<float> x, ArrayView<float> y)
    {
        if (start < 0 || count < 0 || start + (long)count > order.Length || x.Length < (long)count * width || y.Length < count)
            throw new ArgumentException($"BatchGather: rows [{start}, {start + count}) of an order of {order.Length}, a view is shorter.");
        if (count == 0 || width == 0) return;
        int total = checked(count * width), threads = Launch.Threads(_accelerator, total);
        _gather(threads, data, targets, order, x, y, start, width, total, threads);
    }

    private static void Kernel(Index1D index, ArrayView<float> data, ArrayView<float> targets, ArrayView<int> order, ArrayView<float> x, ArrayView<float> y, int start, int width, int count, int stride)
    {
        for (int i = index; i < count; i += stride)
        {
            int r = i / width, f = i - r * width;
            int sample = order[start + r];
            x[i] = data[(long)sample * width + f];
            if (f == 0) y[r] = targets[sample];
        }
    }
}
