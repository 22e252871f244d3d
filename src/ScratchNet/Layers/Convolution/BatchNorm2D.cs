using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Batch normalisation per channel of NCHW input. Training: over the N·H·W values of channel c,
/// <c>μ = mean(x)</c>, <c>σ² = mean((x − μ)²)</c>, <c>x̂ = (x − μ) / √(σ² + ε)</c>, <c>y = γ·x̂ + β</c>; the running
/// statistics move by <c>r ← (1 − momentum)·r + momentum·batch</c> (the running variance takes the
/// unbiased batch variance, σ²·m/(m − 1), as PyTorch does). Inference uses the running statistics.
/// </summary>
/// <remarks>
/// Backward (training), with m = N·H·W and g = dL/dy:
/// <c>dγ = Σ g·x̂</c>, <c>dβ = Σ g</c>, <c>dx = γ / √(σ² + ε) · (g − dβ/m − x̂·dγ/m)</c>.
/// Channels are independent, so they run in parallel; each sums its values in a fixed order (in double).
/// </remarks>
public sealed class BatchNorm2D : Layer
{
    private int _channels, _plane, _batch = -1;
    private int[] _inputShape = [];
    private Parameter _gamma = null!, _beta = null!;
    private Tensor _runningMean = null!, _runningVar = null!;
    private float[] _outputData = [], _gradInputData = [], _normalizedData = [];
    private Tensor? _output, _gradInput, _normalized;
    private float[] _invStd = [];
    private bool _lastTraining;

    /// <summary>Batch normalisation with running-statistics <paramref name="momentum"/> and variance floor <paramref name="epsilon"/>.</summary>
    public BatchNorm2D(float momentum = 0.1f, float epsilon = 1e-5f)
    {
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNorm2D: momentum must be in [0, 1] (got {momentum}).");
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"BatchNorm2D: epsilon must be positive and finite (got {epsilon}).");
        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Per-channel scale γ (starts at 1).</summary>
    public Parameter Gamma => _gamma;

    /// <summary>Per-channel shift β (starts at 0).</summary>
    public Parameter Beta => _beta;

    /// <summary>Running mean per channel (starts at 0).</summary>
    public Tensor RunningMean => _runningMean;

    /// <summary>Running variance per channel (starts at 1).</summary>
    public Tensor RunningVariance => _runningVar;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => [_gamma, _beta];

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Value)> Buffers => [("running_mean", _runningMean), ("running_var", _runningVar)];

    /// <inheritdoc/>
    public override LayerSpec Spec => new("BatchNorm2D", new Dictionary<string, string>
    {
        ["momentum"] = Momentum.ToString("R", CultureInfo.InvariantCulture),
        ["epsilon"] = Epsilon.ToString("R", CultureInfo.InvariantCulture),
    });

    /// <summary>Rebuilds from a spec (defaults: momentum 0.1, epsilon 1e-5).</summary>
    public static BatchNorm2D FromSpec(LayerSpec spec) => new(
        spec.Settings.ContainsKey("momentum") ? spec.GetFloat("momentum") : 0.1f,
        spec.Settings.ContainsKey("epsilon") ? spec.GetFloat("epsilon") : 1e-5f);

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException($"BatchNorm2D expects per-sample input (channels, height, width), got {Tensor.FormatShape(inputShape)}.");
        return (int[])inputShape.Clone();
    }

    /// <summary>γ, β, running mean and variance: four values per channel; a few operations per value.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShape));
        return new LayerCost(LayerCost.Times(4, inputShape[0]), outputs, LayerCost.Times(4, outputs));
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        OutputShape(inputShape);
        _inputShape = inputShape;
        _channels = inputShape[0];
        _plane = inputShape[1] * inputShape[2];
        _gamma = new Parameter("gamma", Tensor.Full(1f, _channels)) { Decays = false };
        _beta = new Parameter("beta", new Tensor(_channels)) { Decays = false };
        _runningMean = new Tensor(_channels);
        _runningVar = Tensor.Full(1f, _channels);
        _invStd = new float[_channels];
        _batch = -1;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        if (input.Rank != 4 || input.Dim(1) != _inputShape[0] || input.Dim(2) != _inputShape[1] || input.Dim(3) != _inputShape[2])
            throw new ShapeMismatchException("BatchNorm2D.Forward: input", input.ShapeString, $"(batch, {_inputShape[0]}, {_inputShape[1]}, {_inputShape[2]})");
        int batch = input.Dim(0);
        if (training && batch * _plane < 2)
            throw new ArgumentException($"BatchNorm2D: training needs at least 2 values per channel, got input {input.ShapeString}.");
        ConvBuffers.View(ref _outputData, ref _output, batch, _inputShape);
        ConvBuffers.View(ref _normalizedData, ref _normalized, batch, _inputShape);
        _batch = batch;
        _lastTraining = training;
        ConvParallel.For(_channels, (long)batch * _plane, (this, input, training), static (s, start, end) =>
        {
            for (int c = start; c < end; c++) s.Item1.ForwardChannel(s.input, s.training, c);
        });
        return _output!;
    }

    private void ForwardChannel(Tensor input, bool training, int c)
    {
        var x = input.Span;
        int count = _batch * _plane;
        double mean, variance;
        if (training)
        {
            double sum = 0;
            for (int n = 0; n < _batch; n++)
                foreach (float v in x.Slice((n * _channels + c) * _plane, _plane)) sum += v;
            mean = sum / count;
            double sq = 0;
            for (int n = 0; n < _batch; n++)
                foreach (float v in x.Slice((n * _channels + c) * _plane, _plane)) sq += (v - mean) * (v - mean);
            variance = sq / count;
            _runningMean[c] = (float)((1 - Momentum) * _runningMean[c] + Momentum * mean);
            _runningVar[c] = (float)((1 - Momentum) * _runningVar[c] + Momentum * variance * count / (count - 1));
        }
        else
        {
            mean = _runningMean[c];
            variance = _runningVar[c];
        }
        float invStd = (float)(1.0 / Math.Sqrt(variance + Epsilon));
        _invStd[c] = invStd;
        float m = (float)mean, gamma = _gamma.Value[c], beta = _beta.Value[c];
        var xh = _normalized!.Span;
        var y = _output!.Span;
        for (int n = 0; n < _batch; n++)
        {
            int start = (n * _channels + c) * _plane;
            for (int i = start; i < start + _plane; i++)
            {
                float h = (x[i] - m) * invStd;
                xh[i] = h;
                y[i] = gamma * h + beta;
            }
        }
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_output is null || !gradOutput.SameShape(_output))
            throw new ShapeMismatchException("BatchNorm2D.Backward: gradOutput", gradOutput.ShapeString, _output is null ? "(no forward yet)" : _output.ShapeString);
        ConvBuffers.View(ref _gradInputData, ref _gradInput, _batch, _inputShape);
        ConvParallel.For(_channels, (long)_batch * _plane, (this, gradOutput), static (s, start, end) =>
        {
            for (int c = start; c < end; c++) s.Item1.BackwardChannel(s.gradOutput, c);
        });
        return _gradInput!;
    }

    private void BackwardChannel(Tensor gradOutput, int c)
    {
        var g = gradOutput.Span;
        var xh = _normalized!.Span;
        var gx = _gradInput!.Span;
        double sumG = 0, sumGx = 0;
        for (int n = 0; n < _batch; n++)
        {
            int start = (n * _channels + c) * _plane;
            for (int i = start; i < start + _plane; i++) { sumG += g[i]; sumGx += (double)g[i] * xh[i]; }
        }
        _beta.Gradient[c] = (float)sumG;
        _gamma.Gradient[c] = (float)sumGx;
        float scale = _gamma.Value[c] * _invStd[c];
        int count = _batch * _plane;
        // In inference mode μ and σ² are constants, so dx = γ/√(σ²+ε) · g.
        float meanG = _lastTraining ? (float)(sumG / count) : 0f;
        float meanGx = _lastTraining ? (float)(sumGx / count) : 0f;
        for (int n = 0; n < _batch; n++)
        {
            int start = (n * _channels + c) * _plane;
            for (int i = start; i < start + _plane; i++) gx[i] = scale * (g[i] - meanG - xh[i] * meanGx);
        }
    }
}
