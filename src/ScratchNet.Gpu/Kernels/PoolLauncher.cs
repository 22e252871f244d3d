using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="PoolKernels"/> on one accelerator: max pooling forward (values and each window's
/// winner) and backward, on views the caller owns. Kernels are compiled once, when the launcher is
/// made; launches are queued on the default stream.
/// </summary>
public sealed class PoolLauncher
{
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>> _maxForward;
    private readonly Action<Index1D, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>> _maxBackward;

    /// <summary>Compiles the pooling kernels for <paramref name="accelerator"/>.</summary>
    public PoolLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _maxForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>>(PoolKernels.MaxForward);
        _maxBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>>(PoolKernels.MaxBackward);
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
        _maxForward(shape.OutputLength, shape, input, output, argMax);
    }

    /// <summary><c>dx[argMax[t]] += dy[t]</c> for every output t, zero elsewhere (computed as a gather); overwrites <paramref name="gradInput"/>.</summary>
    public void MaxBackward(PoolShape shape, ArrayView<float> gradOutput, ArrayView<int> argMax, ArrayView<float> gradInput)
    {
        ConvViews.Require(gradOutput, shape.OutputLength, "PoolLauncher.MaxBackward", nameof(gradOutput));
        ConvViews.Require(argMax, shape.OutputLength, "PoolLauncher.MaxBackward", nameof(argMax));
        ConvViews.Require(gradInput, shape.InputLength, "PoolLauncher.MaxBackward", nameof(gradInput));
        _maxBackward(shape.InputLength, shape, gradOutput, argMax, gradInput);
    }
}
