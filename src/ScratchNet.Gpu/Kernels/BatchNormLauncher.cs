using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Launches <see cref="BatchNormKernels"/> on one accelerator: batch normalisation forward (training or
/// inference) and backward, on views the caller owns (input, γ, β, running statistics, the saved x̂ and
/// 1/√(σ² + ε), gradients). The launcher keeps its own device scratch for the partial sums, grown to
/// the largest shape seen, so one launcher serves one layer at a time. Kernels are compiled once,
/// when the launcher is made; launches are queued on the default stream.
/// </summary>
public sealed class BatchNormLauncher : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>> _planeSums;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<double>> _planeSquaredDeviations;
    private readonly Action<Index1D, BatchNormShape, ArrayView<double>, ArrayView<double>> _mean;
    private readonly Action<Index1D, BatchNormShape, int, float, float, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _variance;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _normalize;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>> _planeGradientSums;
    private readonly Action<Index1D, BatchNormShape, int, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>> _parameterGradients;
    private readonly Action<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, ArrayView<float>> _inputGradient;
    private MemoryBuffer1D<double, Stride1D.Dense>? _partialA, _partialB, _perChannel;

    /// <summary>Compiles the batch-normalisation kernels for <paramref name="accelerator"/>.</summary>
    public BatchNormLauncher(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        _accelerator = accelerator;
        _planeSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>>(BatchNormKernels.PlaneSums);
        _planeSquaredDeviations = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<double>>(BatchNormKernels.PlaneSquaredDeviations);
        _mean = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<double>, ArrayView<double>>(BatchNormKernels.Mean);
        _variance = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, int, float, float, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(BatchNormKernels.Variance);
        _normalize = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(BatchNormKernels.Normalize);
        _planeGradientSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>>(BatchNormKernels.PlaneGradientSums);
        _parameterGradients = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, int, ArrayView<double>, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>>(BatchNormKernels.ParameterGradients);
        _inputGradient = accelerator.LoadAutoGroupedStreamKernel<Index1D, BatchNormShape, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<double>, ArrayView<float>>(BatchNormKernels.InputGradient);
    }

    /// <summary>
    /// Training (<paramref name="training"/> true): the batch's μ and σ² per channel, the running
    /// statistics moved by <paramref name="momentum"/>; inference: the running statistics. Then
    /// <c>x̂ = (x − μ)/√(σ² + ε)</c> into <paramref name="normalized"/>, <c>1/√(σ² + ε)</c> into
    /// <paramref name="invStd"/>, <c>y = γ·x̂ + β</c> into <paramref name="output"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Training with fewer than 2 values per channel, or a view of the wrong length.</exception>
    public void Forward(BatchNormShape shape, bool training, float momentum, float epsilon, ArrayView<float> input, ArrayView<float> gamma, ArrayView<float> beta,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> normalized, ArrayView<float> invStd, ArrayView<float> output)
    {
        const string method = "BatchNormLauncher.Forward";
        if (training && shape.Count < 2)
            throw new ArgumentException($"{method}: training needs at least 2 values per channel, got {shape.Count}.", nameof(shape));
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
            _planeSums(planes, shape, input, partial);
            _mean(shape.Channels, shape, partial, mean);
            _planeSquaredDeviations(planes, shape, input, mean, partial);
        }
        _variance(shape.Channels, shape, training ? 1 : 0, momentum, epsilon, partial, mean, runningMean, runningVar, invStd);
        _normalize(shape.Length, shape, input, mean, invStd, gamma, beta, normalized, output);
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
        _planeGradientSums(shape.Batch * shape.Channels, shape, gradOutput, normalized, sumG, sumGx);
        _parameterGradients(shape.Channels, shape, training ? 1 : 0, sumG, sumGx, gradGamma, gradBeta, meanG, meanGx);
        _inputGradient(shape.Length, shape, gradOutput, normalized, gamma, invStd, meanG, meanGx, gradInput);
    }

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
