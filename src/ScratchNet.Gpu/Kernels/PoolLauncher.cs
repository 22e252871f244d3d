using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="PoolKernels"/> on one accelerator: max pooling forward (values and each window's
/// winner) and backward, average and global average pooling forward and backward, on views the caller owns. Kernels are compiled once, when the launcher is
/// made; launches are queued on the default stream. On ILGPU's CPU accelerator each thread computes
/// several values with the same kernel body, as <see cref="ConvLauncher"/>'s.
/// </summary>
public sealed class PoolLauncher
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int> _maxForward;
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int> _maxBackward;
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, int, int> _avgForward, _avgBackward;
    private readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, int, int> _globalAvgForward, _globalAvgBackward;

    /// <summary>Compiles the pooling kernels for <paramref name="accelerator"/>.</summary>
    public PoolLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        _maxForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int>(MaxForward);
        _maxBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int>(MaxBackward);
        _avgForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, int, int>(AvgForward);
        _avgBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, int, int>(AvgBackward);
        _globalAvgForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, int, int>(GlobalAvgForward);
        _globalAvgBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, int, int>(GlobalAvgBackward);
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

    private static void AvgForward(Index1D index, PoolShape s, ArrayView<float> x, ArrayView<float> y, int total, int stride)
    {
        for (int t = index; t < total; t += stride) PoolKernels.AvgForward(t, s, x, y);
    }

    private static void AvgBackward(Index1D index, PoolShape s, ArrayView<float> dy, ArrayView<float> dx, int total, int stride)
    {
        for (int t = index; t < total; t += stride) PoolKernels.AvgBackward(t, s, dy, dx);
    }

    private static void GlobalAvgForward(Index1D index, int plane, ArrayView<float> x, ArrayView<float> y, int total, int stride)
    {
        for (int t = index; t < total; t += stride) PoolKernels.GlobalAvgForward(t, plane, x, y);
    }

    private static void GlobalAvgBackward(Index1D index, int plane, ArrayView<float> dy, ArrayView<float> dx, int total, int stride)
    {
        for (int t = index; t < total; t += stride) PoolKernels.GlobalAvgBackward(t, plane, dy, dx);
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

    /// <summary><c>y[n, c, oh, ow] = (1/size²) Σ_{i,j} x[n, c, oh·s + i, ow·s + j]</c>.</summary>
    public void AvgForward(PoolShape shape, ArrayView<float> input, ArrayView<float> output)
    {
        ConvViews.Require(input, shape.InputLength, "PoolLauncher.AvgForward", nameof(input));
        ConvViews.Require(output, shape.OutputLength, "PoolLauncher.AvgForward", nameof(output));
        int threads = Launch.Threads(_accelerator, shape.OutputLength);
        _avgForward(threads, shape, input, output, shape.OutputLength, threads);
    }

    /// <summary><c>dx = Σ dy/size²</c> over the windows that hold each input value (computed as a gather); overwrites <paramref name="gradInput"/>.</summary>
    public void AvgBackward(PoolShape shape, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        ConvViews.Require(gradOutput, shape.OutputLength, "PoolLauncher.AvgBackward", nameof(gradOutput));
        ConvViews.Require(gradInput, shape.InputLength, "PoolLauncher.AvgBackward", nameof(gradInput));
        int threads = Launch.Threads(_accelerator, shape.InputLength);
        _avgBackward(threads, shape, gradOutput, gradInput, shape.InputLength, threads);
    }

    /// <summary>
    /// <c>y[p] = (1/P) Σ_q x[p·P + q]</c> for each of <paramref name="planes"/> planes (N·C) of
    /// <paramref name="plane"/> values (P = H·W): (N, C, H, W) → (N, C).
    /// </summary>
    /// <exception cref="ArgumentException">A count below 1, more values than a 32-bit index reaches, or a view of the wrong length.</exception>
    public void GlobalAvgForward(int planes, int plane, ArrayView<float> input, ArrayView<float> output)
    {
        int length = GlobalLength(planes, plane, "PoolLauncher.GlobalAvgForward");
        ConvViews.Require(input, length, "PoolLauncher.GlobalAvgForward", nameof(input));
        ConvViews.Require(output, planes, "PoolLauncher.GlobalAvgForward", nameof(output));
        int threads = Launch.Threads(_accelerator, planes);
        _globalAvgForward(threads, plane, input, output, planes, threads);
    }

    /// <summary><c>dx[p·P + q] = dy[p] / P</c>; overwrites <paramref name="gradInput"/>.</summary>
    /// <exception cref="ArgumentException">A count below 1, more values than a 32-bit index reaches, or a view of the wrong length.</exception>
    public void GlobalAvgBackward(int planes, int plane, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        int length = GlobalLength(planes, plane, "PoolLauncher.GlobalAvgBackward");
        ConvViews.Require(gradOutput, planes, "PoolLauncher.GlobalAvgBackward", nameof(gradOutput));
        ConvViews.Require(gradInput, length, "PoolLauncher.GlobalAvgBackward", nameof(gradInput));
        int threads = Launch.Threads(_accelerator, length);
        _globalAvgBackward(threads, plane, gradOutput, gradInput, length, threads);
    }

    private static int GlobalLength(int planes, int plane, string method)
    {
        if (planes < 1 || plane < 1)
            throw new ArgumentException($"{method}: planes and plane must be at least 1 (got {planes} and {plane}).");
        if ((long)planes * plane > int.MaxValue)
            throw new ArgumentException($"{method}: {(long)planes * plane} values are more than a 32-bit index reaches.");
        return planes * plane;
    }
}
