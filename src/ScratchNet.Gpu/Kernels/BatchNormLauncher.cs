using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="BatchNormKernels"/> on one accelerator: batch normalisation forward (training or
/// inference) and backward, on views the caller owns (input, γ, β, running statistics, the saved x̂ and
/// 1/√(σ² + ε), gradients). The launcher keeps its own device scratch for the partial sums, grown to
/// the largest shape seen, and used only inside one call, so one launcher serves every layer in turn.
/// Kernels are compiled once, when the launcher is made; launches are queued on the default stream.
/// On ILGPU's CPU accelerator each thread computes several indices with the kernel body for one, as
/// <see cref="PoolLauncher"/>'s, so the bits do not change.
/// </summary>
public sealed class BatchNormLauncher : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, int, int> _planeSums;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<double>, int, int> _planeSquaredDeviations;
    private readonly Action<Index1D, BatchNormShape, ArrayView<double>, ArrayView<double>, int, int> _mean;
    private readonly Action<Index1D, BatchNormShape, int, float, float, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _variance;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _normalize;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, int, int> _planeGradientSums;
    private readonly Action<Index1D, BatchNormShape, int, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, int, int> _parameterGradients;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, ArrayView<float>, int, int> _inputGradient;
    private MemoryBuffer1D<double, Stride1D.Dense>? _partialA, _partialB, _perChannel;

    /// <summary>Compiles the batch-normalisation kernels for <paramref name="accelerator"/>.</summary>
    public BatchNormLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        _planeSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, int, int>(PlaneSums);
        _planeSquaredDeviations = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<double>, int, int>(PlaneSquaredDeviations);
        _mean = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<double>, ArrayView<double>, int, int>(Mean);
        _variance = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, int, float, float, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(Variance);
        _normalize = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(Normalize);
        _planeGradientSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, int, int>(PlaneGradientSums);
        _parameterGradients = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, int, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, int, int>(ParameterGradients);
        _inputGradient = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, ArrayView<float>, int, int>(InputGradient);
    }

    // On ILGPU's CPU accelerator each kernel below computes the indices index, index + stride, ... below total
    // with BatchNormKernels' body for one index (see Launch); on a GPU one thread per index.
    private static void PlaneSums(Index1D index, BatchNormShape s, ArrayView<float> x, ArrayView<double> partial, int total, int stride)
    {
        for (int t = index; t < total; t += stride) BatchNormKernels.PlaneSums(t, s, x, partial);
    }

    private static void PlaneSquaredDeviations(Index1D index, BatchNormShape s, ArrayView<float> x, ArrayView<double> mean, ArrayView<double> partial, int total, int stride)
    {
        for (int t = index; t < total; t += stride) BatchNormKernels.PlaneSquaredDeviations(t, s, x, mean, partial);
    }

    private static void Mean(Index1D index, BatchNormShape s, ArrayView<double> partial, ArrayView<double> mean, int total, int stride)
    {
        for (int c = index; c < total; c += stride) BatchNormKernels.Mean(c, s, partial, mean);
    }

    private static void Variance(Index1D index, BatchNormShape s, int training, float momentum, float epsilon, ArrayView<double> partial,
        ArrayView<double> mean, ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> invStd, int total, int stride)
    {
        for (int c = index; c < total; c += stride) BatchNormKernels.Variance(c, s, training, momentum, epsilon, partial, mean, runningMean, runningVar, invStd);
    }

    private static void Normalize(Index1D index, BatchNormShape s, ArrayView<float> x, ArrayView<double> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> normalized, ArrayView<float> y, int total, int stride)
    {
        for (int i = index; i < total; i += stride) BatchNormKernels.Normalize(i, s, x, mean, invStd, gamma, beta, normalized, y);
    }

    private static void PlaneGradientSums(Index1D index, BatchNormShape s, ArrayView<float> dy, ArrayView<float> normalized, ArrayView<double> sumG, ArrayView<double> sumGx, int total, int stride)
    {
        for (int t = index; t < total; t += stride) BatchNormKernels.PlaneGradientSums(t, s, dy, normalized, sumG, sumGx);
    }

    private static void ParameterGradients(Index1D index, BatchNormShape s, int training, ArrayView<double> sumG, ArrayView<double> sumGx,
        ArrayView<float> gradGamma, ArrayView<float> gradBeta, ArrayView<double> meanG, ArrayView<double> meanGx, int total, int stride)
    {
        for (int c = index; c < total; c += stride) BatchNormKernels.ParameterGradients(c, s, training, sumG, sumGx, gradGamma, gradBeta, meanG, meanGx);
    }

    private static void InputGradient(Index1D index, BatchNormShape s, ArrayView<float> dy, ArrayView<float> normalized, ArrayView<float> gamma,
        ArrayView<float> invStd, ArrayView<double> meanG, ArrayView<double> meanGx, ArrayView<float> dx, int total, int stride)
    {
        for (int i = index; i < total; i += stride) BatchNormKernels.InputGradient(i, s, dy, normalized, gamma, invStd, meanG, meanGx, dx);
    }

    /// <summary>
    /// Training (<paramref name="training"/> true): the batch's μ and σ² per channel, the running
    /// statistics moved by <paramref name="momentum"/>; inference: the running statistics. Then
    /// <c>x̂ = (x − μ)/√(σ² + ε)</c> into <paramref name="normalized"/>, <c>1/√(σ² + ε)</c> into
    /// <paramref name="invStd"/>, <c>y = γ·x̂ + β</c> into <paramref name="output"/>.
    /// </summary>
    /// <remarks>
    /// One value per channel trains as <c>BatchNorm</c> on one row does: σ² = 0, x̂ = 0, y = β (<c>BatchNorm2D</c>
    /// refuses it; its caller checks).
    /// </remarks>
    /// <exception cref="ArgumentException">A view of the wrong length.</exception>
    public void Forward(BatchNormShape shape, bool training, float momentum, float epsilon, ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> beta,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> normalized, ArrayView<float> invStd, ArrayView<float> output)
    {
        const string method = "BatchNormLauncher.Forward";
        ConvViews.Require(input, shape.Length, method, nameof(input));
        ConvViews.Require(gamma, shape.Channels, method, nameof(gamma));
        ConvViews.Require(beta, shape.Channels, method, nameof(beta));
        ConvViews.Require(runningMean, shape.Channels, method, nameof(runningMean));
        ConvViews.Require(runningVar, shape.Channels, method, nameof(runningVar));
        ConvViews.Require(normalized, shape.Length, method, nameof(normalized));
        ConvViews.Require(invStd, shape.Channels, method, nameof(invStd));
        ConvViews.Require(output, shape.Length, method, nameof(output));
        var (partial, _, mean, _) = Scratch(shape);
        int planes = shape.Batch * shape.Channels;
        if (training)
        {
            _planeSums(Threads(planes), shape, input, partial, planes, Threads(planes));
            _mean(Threads(shape.Channels), shape, partial, mean, shape.Channels, Threads(shape.Channels));
            _planeSquaredDeviations(Threads(planes), shape, input, mean, partial, planes, Threads(planes));
        }
        _variance(Threads(shape.Channels), shape, training ? 1 : 0, momentum, epsilon, partial, mean, runningMean, runningVar, invStd, shape.Channels, Threads(shape.Channels));
        _normalize(Threads(shape.Length), shape, input, mean, invStd, gamma, beta, normalized, output, shape.Length, Threads(shape.Length));
    }

    /// <summary>
    /// Given g = dL/dy and the forward pass's x̂ and 1/√(σ² + ε): <c>dγ = Σ g·x̂</c>, <c>dβ = Σ g</c> per channel, and
    /// <c>dx = γ/√(σ² + ε) · (g − dβ/m − x̂·dγ/m)</c> after a training forward (<paramref name="training"/> true),
    /// <c>dx = γ/√(σ² + ε) · g</c> after an inference one. Overwrites the gradient views.
    /// </summary>
    public void Backward(BatchNormShape shape, bool training, ArrayView<float> gradOutput, ArrayView<float> normalized, ArrayView<float> gamma, ArrayView<float> invStd,
        ArrayView<float> gradInput, ArrayView<float> gradGamma, ArrayView<float> gradBeta)
    {
        const string method = "BatchNormLauncher.Backward";
        ConvViews.Require(gradOutput, shape.Length, method, nameof(gradOutput));
        ConvViews.Require(normalized, shape.Length, method, nameof(normalized));
        ConvViews.Require(gamma, shape.Channels, method, nameof(gamma));
        ConvViews.Require(invStd, shape.Channels, method, nameof(invStd));
        ConvViews.Require(gradInput, shape.Length, method, nameof(gradInput));
        ConvViews.Require(gradGamma, shape.Channels, method, nameof(gradGamma));
        ConvViews.Require(gradBeta, shape.Channels, method, nameof(gradBeta));
        var (sumG, sumGx, meanG, meanGx) = Scratch(shape);
        int planes = shape.Batch * shape.Channels;
        _planeGradientSums(Threads(planes), shape, gradOutput, normalized, sumG, sumGx, planes, Threads(planes));
        _parameterGradients(Threads(shape.Channels), shape, training ? 1 : 0, sumG, sumGx, gradGamma, gradBeta, meanG, meanGx, shape.Channels, Threads(shape.Channels));
        _inputGradient(Threads(shape.Length), shape, gradOutput, normalized, gamma, invStd, meanG, meanGx, gradInput, shape.Length, Threads(shape.Length));
    }

    private int Threads(int count) => Launch.Threads(_accelerator, count);

    /// <summary>Two N·C partial-sum views and two C per-channel views, from buffers grown as needed.</summary>
    private (ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>) Scratch(BatchNormShape shape)
    {
        long planes = (long)shape.Batch * shape.Channels;
        if (_partialA is null || _partialA.Length < planes)
        {
            _partialA?.Dispose();
            _partialB?.Dispose();
            _partialA = _accelerator.Allocate1D<double>(planes);
            _partialB = _accelerator.Allocate1D<double>(planes);
        }
        if (_perChannel is null || _perChannel.Length < 2L * shape.Channels)
        {
            _perChannel?.Dispose();
            _perChannel = _accelerator.Allocate1D<double>(2L * shape.Channels);
        }
        ArrayView<double> a = _partialA.View, b = _partialB!.View, c = _perChannel.View;
        return (a.SubView(0, planes), b.SubView(0, planes), c.SubView(0, shape.Channels), c.SubView(shape.Channels, shape.Channels));
    }

    /// <summary>Frees the scratch buffers.</summary>
    public void Dispose()
    {
        _partialA?.Dispose();
        _partialB?.Dispose();
        _perChannel?.Dispose();
        _partialA = _partialB = _perChannel = null;
    }
}
