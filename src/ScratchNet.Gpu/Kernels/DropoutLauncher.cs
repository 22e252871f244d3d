using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="DropoutKernels"/> on one accelerator, on views the caller owns. Kernels are
/// compiled once, when the launcher is made; launches are queued on the default stream.
/// </summary>
public sealed class DropoutLauncher
{
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ulong, ulong, float, float> _forward;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _backward;

    /// <summary>Compiles the dropout kernels for <paramref name="accelerator"/>.</summary>
    public DropoutLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _forward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ulong, ulong, float, float>(DropoutKernels.Forward);
        _accelerator = accelerator;
        _backward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(Backward);
    }

    // Values index, index + stride, ... below total (several per thread on the CPU accelerator, see Launch.Threads).
    private static void Backward(Index1D index, ArrayView<float> dy, ArrayView<float> mask, ArrayView<float> dx, int total, int stride)
    {
        for (int i = index; i < total; i += stride) DropoutKernels.Backward(i, dy, mask, dx);
    }

    /// <summary>
    /// Training forward with drop rate <paramref name="rate"/> p in [0, 1): <c>m_i = 0</c> if
    /// <c>DropoutHash.Uniform(seed, step, i) &lt; p</c>, else <c>1/(1 − p)</c>; <c>y = x ⊙ m</c>. Pass a new
    /// <paramref name="step"/> for each batch (the training step's number) so each gets a fresh mask.
    /// </summary>
    public void Forward(ArrayView<float> input, ArrayView<float> mask, ArrayView<float> output, ulong seed, ulong step, float rate)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), $"DropoutLauncher.Forward: rate must be in [0, 1) (got {rate}).");
        ConvViews.Require(mask, input.Length, "DropoutLauncher.Forward", nameof(mask));
        ConvViews.Require(output, input.Length, "DropoutLauncher.Forward", nameof(output));
        if (input.Length == 0) return;
        _forward(input.IntLength, input, mask, output, seed, step, rate, 1f / (1f - rate));
    }

    /// <summary><c>dx = dy ⊙ m</c>, with the mask of the forward pass.</summary>
    public void Backward(ArrayView<float> gradOutput, ArrayView<float> mask, ArrayView<float> gradInput)
    {
        ConvViews.Require(mask, gradOutput.Length, "DropoutLauncher.Backward", nameof(mask));
        ConvViews.Require(gradInput, gradOutput.Length, "DropoutLauncher.Backward", nameof(gradInput));
        if (gradOutput.Length == 0) return;
        int threads = Launch.Threads(_accelerator, gradOutput.Length);
        _backward(threads, gradOutput, mask, gradInput, gradOutput.IntLength, threads);
    }
}
