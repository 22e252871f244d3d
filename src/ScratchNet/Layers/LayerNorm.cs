using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Layer normalisation over the last axis (Ba, Kiros and Hinton, 2016), as PyTorch's nn.LayerNorm(C):
/// for each row x of C values (each position of a (batch, ..., C) input),
/// <code>
/// μ = (1/C) Σ_j x_j,   σ² = (1/C) Σ_j (x_j - μ)²,   x̂_j = (x_j - μ) / √(σ² + ε),   y_j = γ_j x̂_j + β_j
/// </code>
/// with a gain γ (starts at 1) and a bias β (starts at 0), both of shape (C). The statistics are the
/// row's own, in training and at inference alike: no running averages, nothing depends on the batch.
/// </summary>
/// <remarks>
/// Backward, with r = 1/√(σ² + ε) and g_j = γ_j dL/dy_j:
/// <code>
/// dL/dx_j = r (g_j - mean_k(g_k) - x̂_j mean_k(g_k x̂_k))
/// dL/dγ_j = Σ_rows dL/dy_j x̂_j,   dL/dβ_j = Σ_rows dL/dy_j
/// </code>
/// Sums run in double and rows are visited in order, so the results do not depend on the thread count;
/// <see cref="LayerNormRows"/> holds the row kernels, each a vector form beside its scalar specification.
/// γ and β do not decay (<see cref="Parameter.Decays"/> is false), as nanoGPT and PyTorch practice have it.
/// </remarks>
public sealed class LayerNorm : Layer
{
    private Parameter? _gamma, _beta;
    private Parameter[] _parameters = [];
    private Tensor? _output, _normalized, _gradInput;
    // Forward buffers grow to the largest batch and give views to smaller ones: evaluation batches do not reallocate them.
    private readonly GrowingBuffer _outputStore = new(), _normalizedStore = new();
    private float[] _inverseStd = [];

    /// <summary>Layer normalisation with ε = <paramref name="epsilon"/> (PyTorch's default 1e-5), which must be positive.</summary>
    public LayerNorm(float epsilon = 1e-5f)
    {
        if (!(epsilon > 0) || float.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"LayerNorm: epsilon must be a positive number (got {epsilon}).");
        Epsilon = epsilon;
    }

    /// <summary>ε, added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>C, the size of the normalised last axis (after <see cref="Layer.Build"/>).</summary>
    public int Features { get; private set; }

    /// <summary>γ, shape (C).</summary>
    public Parameter Gamma => _gamma ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>β, shape (C).</summary>
    public Parameter Beta => _beta ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("LayerNorm", new Dictionary<string, string> { ["epsilon"] = SpecText.Float(Epsilon) });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireFeatures(inputShape);
        return (int[])inputShape.Clone();
    }

    /// <summary>γ and β (2C values); about 8 operations per value, and x̂ kept for the backward pass.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        RequireFeatures(inputShape);
        long outputs = LayerCost.Elements(inputShape);
        return new LayerCost(LayerCost.Times(2, inputShape[^1]), LayerCost.Times(2, outputs), LayerCost.Times(8, outputs));
    }

    private void RequireFeatures(int[] inputShape)
    {
        if (inputShape.Length == 0 || inputShape[^1] < 1)
            throw new ArgumentException($"{this}: needs at least one value on the last axis, got {Tensor.FormatShape(inputShape)}.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireFeatures(inputShape);
        Features = inputShape[^1];
        _gamma = new Parameter("gamma", Tensor.Full(1f, Features)) { Decays = false };
        _beta = new Parameter("beta", new Tensor(Features)) { Decays = false };
        _parameters = [_gamma, _beta];
    }

    /// <summary>y = γ x̂ + β row by row.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        var y = _output = _outputStore.For(input.Shape);
        var xhat = _normalized = _normalizedStore.For(input.Shape);
        int c = Features, rows = input.Length / c;
        if (_inverseStd.Length < rows) _inverseStd = new float[rows];
        ReadOnlySpan<float> x = input.Span, gamma = Gamma.Value.Span, beta = Beta.Value.Span;
        Span<float> ys = y.Span, xs = xhat.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * c, c);
            var nrow = xs.Slice(r * c, c);
            float mean = (float)(LayerNormRows.Sum(row) / c);
            double squares = LayerNormRows.CenterAndSumSquares(row, mean, nrow); // nrow = x - μ
            float inv = (float)(1.0 / Math.Sqrt(squares / c + Epsilon));
            _inverseStd[r] = inv;
            LayerNormRows.ScaleThenAffine(nrow, inv, gamma, beta, ys.Slice(r * c, c)); // x̂ = (x - μ) r, y = γ x̂ + β
        }
        return y;
    }

    /// <summary>dγ, dβ summed over rows in order; dx by the formula of the remarks.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var dx = EnsureBufferLike(ref _gradInput, gradOutput);
        int c = Features, rows = gradOutput.Length / c;
        ReadOnlySpan<float> dy = gradOutput.Span, xs = _normalized!.Span, gamma = Gamma.Value.Span;
        Span<float> dgamma = Gamma.Gradient.Span, dbeta = Beta.Gradient.Span, dxs = dx.Span;
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            var dyRow = dy.Slice(r * c, c);
            var xRow = xs.Slice(r * c, c);
            var dxRow = dxs.Slice(r * c, c);
            TensorMath.MultiplyAdd(dyRow, xRow, dgamma, dgamma);
            TensorMath.Add(dbeta, dyRow, dbeta);
            if (!InputGradientRequired) continue;
            TensorMath.Multiply(dyRow, gamma, dxRow); // g = γ ⊙ dy
            var (sumG, sumGx) = LayerNormRows.SumAndDot(dxRow, xRow);
            LayerNormRows.NormalizeGradient(dxRow, xRow, (float)(sumG / c), (float)(sumGx / c), _inverseStd[r]);
        }
        return dx;
    }
}
