using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Batch normalisation over features: each feature j of a (batch, features) input is normalised with
/// the batch mean μ_j and (biased) variance σ²_j, then scaled and shifted:
/// x̂ = (x - μ) / sqrt(σ² + ε), y = γ x̂ + β.
/// </summary>
/// <remarks>
/// Training uses batch statistics and updates the running estimates
/// running = (1 - momentum) running + momentum · batch (the running variance takes the unbiased batch
/// variance, σ² N/(N-1), as PyTorch does). Inference uses the running estimates.
/// Backward in training includes the paths through μ and σ²:
/// dx = γ / (N sqrt(σ² + ε)) · (N dy - Σ dy - x̂ Σ(dy x̂)), dγ = Σ dy x̂, dβ = Σ dy (sums over the batch).
/// In inference, μ and σ² are constants: dx = γ dy / sqrt(running σ² + ε).
/// A per-sample shape with several dimensions is treated as that many independent features.
/// </remarks>
public sealed class BatchNorm : Layer
{
    private Parameter? _gamma, _beta;
    private Tensor? _runningMean, _runningVar;
    private Tensor? _normalized, _output, _gradInput;
    private double[] _mean = [], _invStd = [], _sum = [], _sumXhat = [];
    private bool _trainingPass;
    private int _features;

    /// <summary>Batch normalisation with running-average <paramref name="momentum"/> and variance floor <paramref name="epsilon"/>.</summary>
    public BatchNorm(float momentum = 0.1f, float epsilon = 1e-5f)
    {
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNorm: momentum must be in [0, 1] (got {momentum}).");
        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"BatchNorm: epsilon must be positive (got {epsilon}).");
        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Weight of the newest batch in the running averages.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>γ, the learned scale (starts at 1).</summary>
    public Parameter Gamma => _gamma ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>β, the learned shift (starts at 0).</summary>
    public Parameter Beta => _beta ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>Running mean of each feature (used at inference).</summary>
    public Tensor RunningMean => _runningMean ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>Running variance of each feature (used at inference).</summary>
    public Tensor RunningVariance => _runningVar ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _gamma is null ? [] : [_gamma, _beta!];

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Value)> Buffers =>
        _runningMean is null ? [] : [("running_mean", _runningMean), ("running_var", _runningVar!)];

    /// <inheritdoc/>
    public override LayerSpec Spec => new("BatchNorm", new Dictionary<string, string>
    {
        ["momentum"] = SpecText.Float(Momentum),
        ["epsilon"] = SpecText.Float(Epsilon),
    });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <summary>γ, β, running mean and variance: four values per feature; a few operations per value.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        long features = LayerCost.Elements(inputShape);
        return new LayerCost(LayerCost.Times(4, features), features, LayerCost.Times(4, features));
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        long f = LayerCost.Elements(inputShape);
        if (f > Array.MaxLength) throw new ArgumentException($"{this}: input {Tensor.FormatShape(inputShape)} has more features than an array can hold.");
        _features = (int)f;
        _gamma = new Parameter("gamma", Tensor.Full(1f, _features)) { Decays = false };
        _beta = new Parameter("beta", new Tensor(_features)) { Decays = false };
        _runningMean = new Tensor(_features);
        _runningVar = Tensor.Full(1f, _features);
        _mean = new double[_features];
        _invStd = new double[_features];
        _sum = new double[_features];
        _sumXhat = new double[_features];
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int n = input.Dim(0), f = _features;
        if (training && n == 0)
            throw new ArgumentException($"{this}: cannot compute batch statistics of an empty batch.");
        var y = EnsureBufferLike(ref _output, input);
        var xhat = EnsureBufferLike(ref _normalized, input);
        ReadOnlySpan<float> x = input.Span;
        Span<float> rm = RunningMean.Span, rv = RunningVariance.Span;
        _trainingPass = training;
        if (training)
        {
            // Batch mean and biased variance per feature, in double, rows in order.
            Array.Clear(_mean);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < f; j++) _mean[j] += x[i * f + j];
            for (int j = 0; j < f; j++) _mean[j] /= n;
            Array.Clear(_sum);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < f; j++) { double d = x[i * f + j] - _mean[j]; _sum[j] += d * d; }
            for (int j = 0; j < f; j++)
            {
                double variance = _sum[j] / n;
                _invStd[j] = 1.0 / Math.Sqrt(variance + Epsilon);
                double unbiased = n > 1 ? variance * n / (n - 1) : variance;
                rm[j] = (float)((1 - Momentum) * rm[j] + Momentum * _mean[j]);
                rv[j] = (float)((1 - Momentum) * rv[j] + Momentum * unbiased);
            }
        }
        else
        {
            for (int j = 0; j < f; j++)
            {
                _mean[j] = rm[j];
                _invStd[j] = 1.0 / Math.Sqrt(rv[j] + (double)Epsilon);
            }
        }
        ReadOnlySpan<float> g = Gamma.Value.Span, b = Beta.Value.Span;
        Span<float> xh = xhat.Span, ys = y.Span;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++)
            {
                int k = i * f + j;
                float v = (float)((x[k] - _mean[j]) * _invStd[j]);
                xh[k] = v;
                ys[k] = g[j] * v + b[j];
            }
        return y;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int n = gradOutput.Dim(0), f = _features;
        ReadOnlySpan<float> dy = gradOutput.Span, xh = _normalized!.Span, g = Gamma.Value.Span;
        // Σ dy and Σ dy·x̂ per feature: these are dβ and dγ, and also the mean and variance terms of dx.
        Array.Clear(_sum);
        Array.Clear(_sumXhat);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++)
            {
                int k = i * f + j;
                _sum[j] += dy[k];
                _sumXhat[j] += (double)dy[k] * xh[k];
            }
        Span<float> dGamma = Gamma.Gradient.Span, dBeta = Beta.Gradient.Span;
        for (int j = 0; j < f; j++) { dGamma[j] = (float)_sumXhat[j]; dBeta[j] = (float)_sum[j]; }

        var dx = EnsureBufferLike(ref _gradInput, gradOutput);
        var d = dx.Span;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++)
            {
                int k = i * f + j;
                d[k] = _trainingPass
                    ? (float)(g[j] * _invStd[j] / n * (n * (double)dy[k] - _sum[j] - xh[k] * _sumXhat[j]))
                    : (float)(g[j] * _invStd[j] * dy[k]);
            }
        return dx;
    }
}
