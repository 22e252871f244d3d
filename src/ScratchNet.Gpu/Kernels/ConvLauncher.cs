using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="ConvKernels"/> on one accelerator: the forward pass and the three gradients of a
/// 2-D convolution (NCHW input, filters (O, C, k, k)), on views the caller owns. Kernels are compiled
/// once, when the launcher is made; launches are queued on the accelerator's default stream and
/// return without waiting. On a GPU each launch is one thread per value written; on ILGPU's CPU
/// accelerator at most <see cref="Launch.CpuThreads"/> threads, each computing the values t, t + s,
/// t + 2s, ... with the same kernel body (<c>Launch.Threads</c> says why), so the bits are the same.
/// </summary>
public sealed class ConvLauncher
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int, int> _forward;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _backwardInput;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _backwardWeight;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, int, int> _backwardBias;

    /// <summary>Compiles the convolution kernels for <paramref name="accelerator"/>.</summary>
    public ConvLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        _forward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int, int>(Forward);
        _backwardInput = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(BackwardInput);
        _backwardWeight = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(BackwardWeight);
        _backwardBias = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, int, int>(BackwardBias);
    }

    // Each kernel computes the values index, index + stride, ... below total with ConvKernels' body for one value.
    private static void Forward(Index1D index, ConvShape s, ArrayView<float> x, ArrayView<float> w, ArrayView<float> b, int hasBias, ArrayView<float> y, int total, int stride)
    {
        for (int t = index; t < total; t += stride) ConvKernels.Forward(t, s, x, w, b, hasBias, y);
    }

    private static void BackwardInput(Index1D index, ConvShape s, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, int total, int stride)
    {
        for (int t = index; t < total; t += stride) ConvKernels.BackwardInput(t, s, dy, w, dx);
    }

    private static void BackwardWeight(Index1D index, ConvShape s, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, int total, int stride)
    {
        for (int t = index; t < total; t += stride) ConvKernels.BackwardWeight(t, s, x, dy, dw);
    }

    private static void BackwardBias(Index1D index, ConvShape s, ArrayView<float> dy, ArrayView<float> db, int total, int stride)
    {
        for (int t = index; t < total; t += stride) ConvKernels.BackwardBias(t, s, dy, db);
    }

    private int Threads(int total) => Launch.Threads(_accelerator, total);

    /// <summary>
    /// <c>y[n, o, oh, ow] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]</c>;
    /// <paramref name="bias"/> may be <see cref="ArrayView{T}.Empty"/> for no bias.
    /// </summary>
    public void Forward(ConvShape shape, ArrayView<float> input, ArrayView<float> weight, ArrayView<float> bias, ArrayView<float> output)
    {
        ConvViews.Require(input, shape.InputLength, "ConvLauncher.Forward", nameof(input));
        ConvViews.Require(weight, shape.WeightLength, "ConvLauncher.Forward", nameof(weight));
        bool hasBias = bias.Length != 0;
        if (hasBias) ConvViews.Require(bias, shape.OutChannels, "ConvLauncher.Forward", nameof(bias));
        ConvViews.Require(output, shape.OutputLength, "ConvLauncher.Forward", nameof(output));
        int threads = Threads(shape.OutputLength);
        _forward(threads, shape, input, weight, hasBias ? bias : weight, hasBias ? 1 : 0, output, shape.OutputLength, threads);
    }

    /// <summary>
    /// The gradients given <c>dy = dL/dy</c>: <c>dW[o, c, i, j] = Σ_{n,oh,ow} dy[n, o, oh, ow] · x[n, c, oh·s − p + i, ow·s − p + j]</c>,
    /// <c>db[o] = Σ_{n,oh,ow} dy[n, o, oh, ow]</c>, and <c>dx[n, c, ih, iw] = Σ dy[n, o, oh, ow] · W[o, c, i, j]</c>
    /// over the terms where <c>ih = oh·s − p + i</c>, <c>iw = ow·s − p + j</c>. Overwrites (does not add to) the
    /// gradient views; pass <see cref="ArrayView{T}.Empty"/> for <paramref name="gradBias"/> or
    /// <paramref name="gradInput"/> to skip it.
    /// </summary>
    public void Backward(ConvShape shape, ArrayView<float> input, ArrayView<float> weight, ArrayView<float> gradOutput,
        ArrayView<float> gradInput, ArrayView<float> gradWeight, ArrayView<float> gradBias)
    {
        ConvViews.Require(input, shape.InputLength, "ConvLauncher.Backward", nameof(input));
        ConvViews.Require(weight, shape.WeightLength, "ConvLauncher.Backward", nameof(weight));
        ConvViews.Require(gradOutput, shape.OutputLength, "ConvLauncher.Backward", nameof(gradOutput));
        ConvViews.Require(gradWeight, shape.WeightLength, "ConvLauncher.Backward", nameof(gradWeight));
        int threads = Threads(shape.WeightLength);
        _backwardWeight(threads, shape, input, gradOutput, gradWeight, shape.WeightLength, threads);
        if (gradBias.Length != 0)
        {
            ConvViews.Require(gradBias, shape.OutChannels, "ConvLauncher.Backward", nameof(gradBias));
            threads = Threads(shape.OutChannels);
            _backwardBias(threads, shape, gradOutput, gradBias, shape.OutChannels, threads);
        }
        if (gradInput.Length != 0)
        {
            ConvViews.Require(gradInput, shape.InputLength, "ConvLauncher.Backward", nameof(gradInput));
            threads = Threads(shape.InputLength);
            _backwardInput(threads, shape, gradOutput, weight, gradInput, shape.InputLength, threads);
        }
    }
}
