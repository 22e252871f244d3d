using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using ScratchNet.Threading;

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
/// Sums run in double; rows are normalised (and their dx computed) in parallel, each row alone, and dγ and
/// dβ summed over rows in order on one thread, so the results do not depend on the thread count;
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
    private readonly RowsWork _rows;

    /// <summary>Layer normalisation with ε = <paramref name="epsilon"/> (PyTorch's default 1e-5), which must be positive.</summary>
    public LayerNorm(float epsilon = 1e-5f)
    {
        if (!(epsilon > 0) || float.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"LayerNorm: epsilon must be a positive number (got {epsilon}).");
        Epsilon = epsilon;
        _rows = new RowsWork(this);
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
        int rows = input.Length / Features;
        if (_inverseStd.Length < rows) _inverseStd = new float[rows];
        _rows.Run(forward: true, rows, input, y, xhat);
        return y;
    }

    /// <summary>dγ, dβ summed over rows in order; dx by the formula of the remarks.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var dx = EnsureBufferLike(ref _gradInput, gradOutput);
        int c = Features, rows = gradOutput.Length / c;
        ReadOnlySpan<float> dy = gradOutput.Span, xs = _normalized!.Span;
        Span<float> dgamma = Gamma.Gradient.Span, dbeta = Beta.Gradient.Span;
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < rows; r++) // in row order on one thread: the sums' bits do not depend on the thread count
        {
            var dyRow = dy.Slice(r * c, c);
            TensorMath.MultiplyAdd(dyRow, xs.Slice(r * c, c), dgamma, dgamma);
            TensorMath.Add(dbeta, dyRow, dbeta);
        }
        if (InputGradientRequired) _rows.Run(forward: false, rows, gradOutput, dx, _normalized!);
        return dx;
    }

    /// <summary>x̂ and y for rows [start, end): each row's own statistics.</summary>
    private void ForwardRows(int start, int end, Tensor input, Tensor y, Tensor xhat)
    {
        int c = Features;
        ReadOnlySpan<float> x = input.Span, gamma = Gamma.Value.Span, beta = Beta.Value.Span;
        Span<float> ys = y.Span, xs = xhat.Span;
        for (int r = start; r < end; r++)
        {
            var row = x.Slice(r * c, c);
            var nrow = xs.Slice(r * c, c);
            float mean = (float)(LayerNormRows.Sum(row) / c);
            double squares = LayerNormRows.CenterAndSumSquares(row, mean, nrow); // nrow = x - μ
            float inv = (float)(1.0 / Math.Sqrt(squares / c + Epsilon));
            _inverseStd[r] = inv;
            LayerNormRows.ScaleThenAffine(nrow, inv, gamma, beta, ys.Slice(r * c, c)); // x̂ = (x - μ) r, y = γ x̂ + β
        }
    }

    /// <summary>dx for rows [start, end), by the formula of the remarks.</summary>
    private void InputGradientRows(int start, int end, Tensor gradOutput, Tensor dx, Tensor xhat)
    {
        int c = Features;
        ReadOnlySpan<float> dy = gradOutput.Span, xs = xhat.Span, gamma = Gamma.Value.Span;
        Span<float> dxs = dx.Span;
        for (int r = start; r < end; r++)
        {
            var xRow = xs.Slice(r * c, c);
            var dxRow = dxs.Slice(r * c, c);
            TensorMath.Multiply(dy.Slice(r * c, c), gamma, dxRow); // g = γ ⊙ dy
            var (sumG, sumGx) = LayerNormRows.SumAndDot(dxRow, xRow);
            LayerNormRows.NormalizeGradient(dxRow, xRow, (float)(sumG / c), (float)(sumGx / c), _inverseStd[r]);
        }
    }

    /// <summary>
    /// Rows cut into contiguous ranges, one a part of a <see cref="WorkerPool"/> job. Every row is computed
    /// alone, so the bits do not depend on the cut nor on the thread count.
    /// </summary>
    private sealed class RowsWork(LayerNorm layer) : IPartitionedWork
    {
        /// <summary>Rows below this many values are not worth a second thread.</summary>
        private const int MinimumValuesPerPart = 8192;

        private bool _forward;
        private int _rows;
        private Tensor? _a, _b, _c;

        public void Run(bool forward, int rows, Tensor a, Tensor b, Tensor c)
        {
            int parts = Math.Min(Compute.Threads, (int)Math.Min(rows, (long)rows * layer.Features / MinimumValuesPerPart));
            if (parts <= 1)
            {
                Do(forward, 0, rows, a, b, c);
                return;
            }
            _forward = forward; _rows = rows; _a = a; _b = b; _c = c;
            try { WorkerPool.Run(this, parts, parts); }
            finally { _a = _b = _c = null; } // hold no references between passes
        }

        public void RunPart(int index, int parts) =>
            Do(_forward, (int)((long)_rows * index / parts), (int)((long)_rows * (index + 1) / parts), _a!, _b!, _c!);

        private void Do(bool forward, int start, int end, Tensor a, Tensor b, Tensor c)
        {
            if (forward) layer.ForwardRows(start, end, a, b, c);
            else layer.InputGradientRows(start, end, a, b, c);
        }
    }
}
