using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="PoolKernels"/> on one accelerator: max pooling forward (values and each window's
/// winner) and backward, on views the caller owns. Kernels are compiled once, when the launcher is
/// made; launches are queued on the default stream. On ILGPU's CPU accelerator each thread computes
/// several values with the same kernel body, as <see cref="ConvLauncher"/>'s.
/// </summary>
public sealed class PoolLauncher
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int> _maxForward;
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int> _maxBackward;

    /// <summary>Compiles the pooling kernels for <paramref name="accelerator"/>.</summary>
    public PoolLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        _maxForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int>(MaxForward);
        _maxBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int>(MaxBackward);
    }

    // Each kernel computes the values index, index + stride, ... below total with PoolKernels' body for one value.
    private static void MaxForward(Index1D index, PoolShape s, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argMax, int total, int stride)
    {
        for (int t = index; t < total; t += stride) PoolKernels.MaxForward(t, s, x, y, argMax);
    }

    private static void MaxBackward(Index1D index, PoolShape s, ArrayView<float> dy, ArrayView<int> argMax, ArrayView<float> dx, int total, int stride)
    {
        for (int t = index; t < total; t += stride) PoolKernels.MaxBackward(t, s, dy, argMax, dx);
    }

    /// <summary>
    /// <c>y[n, c, oh, ow] = max_{i,j} x[n, c, oh·s + i, ow·s + j]</c>; <paramref name="argMax"/> receives each
    /// output's winner as a flat index into x (first maximum in row-major window order).
    /// </summary>
    public void MaxForward(PoolShape shape, ArrayView<float> input, ArrayView<float> output, ArrayView<int> argMax)
    {
        ConvViews.Require(input, shape.InputLength, "PoolLauncher.MaxForward", nameof(input));
        ConvViews.Require(output, shape.OutputLength, "PoolLauncher.MaxForward", nameof(output));
        ConvViews.Require(argMax, shape.OutputLength, "PoolLauncher.MaxForward", nameof(argMax));
        int threads = Launch.Threads(_accelerator, shape.OutputLength);
        _maxForward(threads, shape, input, output, argMax, shape.OutputLength, threads);
    }

    /// <summary><c>dx[argMax[t]] += dy[t]</c> for every output t, zero elsewhere (computed as a gather); overwrites <paramref name="gradInput"/>.</summary>
    public void MaxBackward(PoolShape shape, ArrayView<float> gradOutput, ArrayView<int> argMax, ArrayView<float> gradInput)
    {
        ConvViews.Require(gradOutput, shape.OutputLength, "PoolLauncher.MaxBackward", nameof(gradOutput));
        ConvViews.Require(argMax, shape.OutputLength, "PoolLauncher.MaxBackward", nameof(argMax));
        ConvViews.Require(gradInput, shape.InputLength, "PoolLauncher.MaxBackward", nameof(gradInput));
        int threads = Launch.Threads(_accelerator, shape.InputLength);
        _maxBackward(threads, shape, gradOutput, argMax, gradInput, shape.InputLength, threads);
    }
}
