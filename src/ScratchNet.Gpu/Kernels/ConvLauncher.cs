using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="ConvKernels"/> on one accelerator: the forward pass and the three gradients of a
/// 2-D convolution (NCHW input, filters (O, C, k, k)), on views the caller owns. Kernels are compiled
/// once, when the launcher is made; launches are queued on the accelerator's default stream and
/// return without waiting.
/// </summary>
public sealed class ConvLauncher
{
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, ArrayView<float>> _forward;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>> _backwardInput;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>> _backwardWeight;
    private readonly Action<Index1D, ConvShape, ArrayView<float>, ArrayView<float>> _backwardBias;

    /// <summary>Compiles the convolution kernels for <paramref name="accelerator"/>.</summary>
    public ConvLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _forward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(ConvKernels.Forward);
        _backwardInput = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ConvKernels.BackwardInput);
        _backwardWeight = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ConvKernels.BackwardWeight);
        _backwardBias = accelerator.LoadAutoGroupedStreamKernel<Index1D, ConvShape, ArrayView<float>, ArrayView<float>>(ConvKernels.BackwardBias);
    }

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
        _forward(shape.OutputLength, shape, input, weight, hasBias ? bias : weight, hasBias ? 1 : 0, output);
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
        _backwardWeight(shape.WeightLength, shape, input, gradOutput, gradWeight);
        if (gradBias.Length != 0)
        {
            ConvViews.Require(gradBias, shape.OutChannels, "ConvLauncher.Backward", nameof(gradBias));
            _backwardBias(shape.OutChannels, shape, gradOutput, gradBias);
        }
        if (gradInput.Length != 0)
        {
            ConvViews.Require(gradInput, shape.InputLength, "ConvLauncher.Backward", nameof(gradInput));
            _backwardInput(shape.InputLength, shape, gradOutput, weight, gradInput);
        }
    }
}
