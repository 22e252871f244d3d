using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Learned positional embedding: y[b, t, :] = x[b, t, :] + P[t, :] for an input of shape (batch, T, C),
/// with P of shape (T_max, C), T ≤ T_max (the context length). The rows of P after T are not used.
/// </summary>
/// <remarks>
/// Backward: dL/dx = dL/dy, and dL/dP[t, :] = Σ_b dL/dy[b, t, :] (batches added in order) for t &lt; T,
/// 0 for the unused rows. P starts as N(0, σ²) with σ = 0.02 (nanoGPT's initialisation) unless told and
/// does not decay (<see cref="Parameter.Decays"/> is false), as in nanoGPT.
/// </remarks>
public sealed class PositionalEmbedding : Layer
{
    private Parameter? _table;
    private Parameter[] _parameters = [];
    private Tensor? _output;
    // The output grows to the largest batch and gives views to smaller ones: evaluation batches do not reallocate it.
    private readonly GrowingBuffer _outputStore = new();

    /// <summary>A table of <paramref name="contextLength"/> learned positions, P ~ N(0, <paramref name="initStd"/>²).</summary>
    public PositionalEmbedding(int contextLength, float initStd = 0.02f)
    {
        if (contextLength < 1 || contextLength > Limits.MaxLayerWidth)
            throw new ArgumentOutOfRangeException(nameof(contextLength), $"PositionalEmbedding: the context length must be in [1, {Limits.MaxLayerWidth}] (got {contextLength}).");
        if (!(initStd >= 0) || float.IsInfinity(initStd))
            throw new ArgumentOutOfRangeException(nameof(initStd), $"PositionalEmbedding: initStd must be a number >= 0 (got {initStd}).");
        ContextLength = contextLength;
        InitStd = initStd;
    }

    /// <summary>T_max, the number of positions the table holds.</summary>
    public int ContextLength { get; }

    /// <summary>σ of the normal initialisation of P.</summary>
    public float InitStd { get; }

    /// <summary>P, shape (T_max, C).</summary>
    public Parameter Table => _table ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("PositionalEmbedding", new Dictionary<string, string>
    {
        ["contextLength"] = SpecText.Int(ContextLength),
        ["initStd"] = SpecText.Float(InitStd),
    });

    /// <summary>Rebuilds a positional embedding from its spec.</summary>
    internal static PositionalEmbedding FromSpec(LayerSpec spec) =>
        new(spec.GetInt("contextLength"), SpecText.GetFloat(spec, "initStd", 0.02f));

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireSequence(inputShape);
        return (int[])inputShape.Clone();
    }

    /// <summary>P (T_max·C values); one addition per output.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        RequireSequence(inputShape);
        long outputs = LayerCost.Elements(inputShape);
        return new LayerCost(LayerCost.Times(ContextLength, inputShape[1]), outputs, outputs);
    }

    private void RequireSequence(int[] inputShape)
    {
        if (inputShape.Length != 2 || inputShape[1] < 1)
            throw new ArgumentException($"{this}: needs a sequence of vectors per sample, shape (T, C), got {Tensor.FormatShape(inputShape)}.");
        if (inputShape[0] > ContextLength)
            throw new ArgumentException($"{this}: the sequence has {inputShape[0]} positions, more than the context length {ContextLength}.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireSequence(inputShape);
        var p = new Tensor(ContextLength, inputShape[1]);
        foreach (ref float v in p.Span) v = InitStd * (float)rng.NextGaussian();
        _table = new Parameter("weight", p) { Decays = false };
        _parameters = [_table];
    }

    /// <summary>y[b] = x[b] + P[0..T].</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        var y = _output = _outputStore.For(input.Shape);
        int batch = input.Dim(0), n = input.Length / Math.Max(batch, 1);
        ReadOnlySpan<float> p = Table.Value.Span[..n], x = input.Span;
        var ys = y.Span;
        for (int b = 0; b < batch; b++) TensorMath.Add(x.Slice(b * n, n), p, ys.Slice(b * n, n));
        return y;
    }

    /// <summary>dP[0..T] = Σ_b dy[b] (in batch order), the rest 0; returns dx = dy.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int batch = gradOutput.Dim(0), n = gradOutput.Length / Math.Max(batch, 1);
        var dp = Table.Gradient.Span;
        dp.Clear();
        TensorMath.SumOverRows(gradOutput.Span, dp[..n]);
        return gradOutput;
    }
}
