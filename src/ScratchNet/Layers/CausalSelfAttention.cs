using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;
using ScratchNet.Threading;

namespace ScratchNet.Layers;

/// <summary>
/// Multi-head causal self-attention (Vaswani et al., 2017; the decoder's masked form, as in GPT):
/// (batch, T, C) → (batch, T, C) with H heads of size D = C / H. For each sample x (T x C):
/// <code>
/// [Q K V] = x W_qkv + b_qkv                       W_qkv: C x 3C, b_qkv: 3C
/// for each head h (columns hD .. hD + D - 1 of Q, K and V):
///   S_h = Q_h K_hᵀ / √D                           T x T
///   P_h[i, j] = softmax over j ≤ i of S_h[i, :]   (the causal mask: P_h[i, j] = 0 for j &gt; i)
///   Z_h = P_h V_h                                 T x D, columns hD .. of Z
/// y = Z W_o + b_o                                  W_o: C x C, b_o: C
/// </code>
/// Position i sees only positions 0..i, so an output never depends on later inputs.
/// </summary>
/// <remarks>
/// <para>
/// Backward, per head, from dZ_h (after the output projection's own backward):
/// <code>
/// dP = dZ_h V_hᵀ,   dV_h = P_hᵀ dZ_h
/// dS[i, j] = P[i, j] (dP[i, j] - Σ_k P[i, k] dP[i, k])     (0 where masked)
/// dQ_h = dS K_h / √D,   dK_h = dSᵀ Q_h / √D
/// </code>
/// then the QKV projection's backward turns d[Q K V] into dx, dW_qkv and db_qkv.
/// </para>
/// <para>
/// The fast path: both projections are <see cref="Dense"/> layers over the B·T rows (one GEMM each);
/// the heads are B·H independent problems, run in parallel on <see cref="WorkerPool"/>, each as GEMMs
/// on strided views of the QKV buffer (no copies) and a vectorised softmax per row. Every output value
/// is computed by one part in a fixed order, so the bits do not depend on the thread count.
/// <see cref="AttentionReference"/> is the specification: plain loops in double, which tests compare
/// with this layer on odd sizes. The weights decay (<see cref="Parameter.Decays"/>), the biases do not.
/// </para>
/// </remarks>
public sealed class CausalSelfAttention : Layer
{
    private Dense? _qkv, _projection; // made at build, when C is known
    private Parameter[] _parameters = [];
    private Tensor? _probabilities, _heads, _gradScores, _gradQkv, _qkvOutput, _output;
    // Forward buffers grow to the largest batch and give views to smaller ones: evaluation batches do not reallocate them.
    private readonly GrowingBuffer _probabilityStore = new(), _headStore = new();
    private readonly HeadsWork _work;

    /// <summary>Self-attention with <paramref name="heads"/> heads; the width C comes from the input and must be a multiple of it.</summary>
    /// <param name="heads">H.</param>
    /// <param name="weightInit">Initialiser for W_qkv and W_o; null means <see cref="Dense"/>'s default.</param>
    /// <param name="biasInit">Initialiser for b_qkv and b_o; null means zeros.</param>
    public CausalSelfAttention(int heads, Initializer? weightInit = null, Initializer? biasInit = null)
    {
        WeightInit = weightInit;
        BiasInit = biasInit;
        if (heads < 1 || heads > Limits.MaxLayerWidth)
            throw new ArgumentOutOfRangeException(nameof(heads), $"CausalSelfAttention: heads must be in [1, {Limits.MaxLayerWidth}] (got {heads}).");
        Heads = heads;
        _work = new HeadsWork(this);
    }

    /// <summary>H, the number of heads.</summary>
    public int Heads { get; }

    /// <summary>The projections' weight initialiser; null: <see cref="Dense"/>'s default.</summary>
    public Initializer? WeightInit { get; }

    /// <summary>The projections' bias initialiser; null: zeros.</summary>
    public Initializer? BiasInit { get; }

    /// <summary>C, the width of the input and output (after <see cref="Layer.Build"/>).</summary>
    public int Width { get; private set; }

    /// <summary>D = C / H, the width of one head.</summary>
    public int HeadSize => Width / Heads;

    /// <summary>T, the sequence length (after <see cref="Layer.Build"/>).</summary>
    public int Steps { get; private set; }

    /// <summary>The QKV projection, W_qkv (C x 3C) and b_qkv: Q is columns 0..C-1 of its output, K the next C, V the last C.</summary>
    public Dense QkvProjection => _qkv ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>The output projection, W_o (C x C) and b_o.</summary>
    public Dense OutputProjection => _projection ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>The attention weights P of the last forward pass, shape (batch, H, T, T), row i summing to 1 over j ≤ i; null before one.</summary>
    public Tensor? AttentionWeights => _probabilities;

    /// <summary>"qkv.weight", "qkv.bias", "proj.weight", "proj.bias".</summary>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("CausalSelfAttention", SpecText.WithInitializers(new Dictionary<string, string> { ["heads"] = SpecText.Int(Heads) }, WeightInit, BiasInit));

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireSequence(inputShape);
        return (int[])inputShape.Clone();
    }

    /// <summary>
    /// 4C² + 4C parameters; per sample it keeps Q, K, V (3TC), the attention weights (H T²), the heads' output
    /// (TC) and its output (TC), counted as outputs; 4TC² + 2T²C multiply-adds.
    /// </summary>
    public override LayerCost Cost(int[] inputShape)
    {
        RequireSequence(inputShape);
        long t = inputShape[0], c = inputShape[1];
        long stored = LayerCost.Plus(LayerCost.Times(4, LayerCost.Times(c, c)), LayerCost.Times(4, c));
        long kept = LayerCost.Plus(LayerCost.Times(5, LayerCost.Times(t, c)), LayerCost.Times(Heads, LayerCost.Times(t, t)));
        long work = LayerCost.Plus(LayerCost.Times(4, LayerCost.Times(t, LayerCost.Times(c, c))), LayerCost.Times(2, LayerCost.Times(LayerCost.Times(t, t), c)));
        return new LayerCost(stored, kept, work);
    }

    private void RequireSequence(int[] inputShape)
    {
        if (inputShape.Length != 2 || inputShape[0] < 1 || inputShape[1] < 1)
            throw new ArgumentException($"{this}: needs a sequence of vectors per sample, shape (T, C), got {Tensor.FormatShape(inputShape)}.");
        if (inputShape[1] % Heads != 0)
            throw new ArgumentException($"{this}: the width C = {inputShape[1]} is not a multiple of the {Heads} heads.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireSequence(inputShape);
        Steps = inputShape[0];
        Width = inputShape[1];
        _qkv = new Dense(3 * Width, WeightInit, biasInit: BiasInit);
        _qkv.Build(inputShape, rng);
        _projection = new Dense(Width, WeightInit, biasInit: BiasInit);
        _projection.Build(inputShape, rng);
        _parameters = [.. _qkv.Parameters.Select(p => p.Prefixed("qkv")), .. _projection.Parameters.Select(p => p.Prefixed("proj"))];
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int batch = input.Dim(0);
        var qkv = _qkvOutput = QkvProjection.Forward(input, training);
        var p = _probabilities = _probabilityStore.For([batch, Heads, Steps, Steps]);
        var z = _heads = _headStore.For([batch, Steps, Width]);
        _work.Run(forward: true, batch, qkv, p, z, null, null, null);
        return _output = OutputProjection.Forward(z, training);
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int batch = gradOutput.Dim(0);
        var dz = OutputProjection.Backward(gradOutput);
        var dqkv = EnsureBuffer(ref _gradQkv, batch, [Steps, 3 * Width]);
        var ds = EnsureBuffer(ref _gradScores, batch, [Heads, Steps, Steps]);
        _work.Run(forward: false, batch, _qkvOutput!, _probabilities!, _heads!, dz, ds, dqkv);
        QkvProjection.InputGradientRequired = InputGradientRequired;
        return QkvProjection.Backward(dqkv);
    }

    /// <summary>The B·H head problems of one pass, each a part of a <see cref="WorkerPool"/> job.</summary>
    private sealed class HeadsWork(CausalSelfAttention layer) : IPartitionedWork
    {
        private bool _forward;
        private Tensor? _qkv, _p, _z, _dz, _ds, _dqkv;

        public void Run(bool forward, int batch, Tensor qkv, Tensor p, Tensor z, Tensor? dz, Tensor? ds, Tensor? dqkv)
        {
            _forward = forward; _qkv = qkv; _p = p; _z = z; _dz = dz; _ds = ds; _dqkv = dqkv;
            int parts = batch * layer.Heads;
            try { WorkerPool.Run(this, parts, Math.Min(Compute.Threads, parts)); }
            finally { _qkv = _p = _z = _dz = _ds = _dqkv = null; } // hold no references between passes
        }

        public void RunPart(int index, int parts)
        {
            int heads = layer.Heads, b = index / heads, h = index % heads;
            if (_forward) Forward(b, h);
            else Backward(b, h);
        }

        /// <summary>S = Q Kᵀ/√D, P = causal softmax(S), Z_h = P V for sample b, head h.</summary>
        private void Forward(int b, int h)
        {
            int t = layer.Steps, c = layer.Width, d = layer.HeadSize, ld = 3 * c;
            float scale = 1f / MathF.Sqrt(d);
            ReadOnlySpan<float> qkv = _qkv!.Span.Slice(b * t * ld);
            ReadOnlySpan<float> q = qkv.Slice(h * d), k = qkv.Slice(c + h * d), v = qkv.Slice(2 * c + h * d);
            Span<float> p = _p!.Span.Slice((b * layer.Heads + h) * t * t, t * t);
            Gemm.Multiply(false, true, t, t, d, scale, q, ld, k, ld, 0f, p, t, threads: 1);
            for (int i = 0; i < t; i++)
            {
                var row = p.Slice(i * t, t);
                var seen = row[..(i + 1)];
                float max = TensorMath.Max(seen);
                TensorMath.Add(seen, -max, seen);
                TensorMath.Exp(seen, seen);
                TensorMath.Scale(seen, 1f / TensorMath.Sum(seen), seen);
                row[(i + 1)..].Clear();
            }
            Span<float> z = _z!.Span.Slice(b * t * c + h * d);
            Gemm.Multiply(false, false, t, d, t, 1f, p, t, v, ld, 0f, z, c, threads: 1);
        }

        /// <summary>dP = dZ_h Vᵀ, dV = Pᵀ dZ_h, dS = P ⊙ (dP - rowsum(P ⊙ dP)), dQ = dS K/√D, dK = dSᵀ Q/√D.</summary>
        private void Backward(int b, int h)
        {
            int t = layer.Steps, c = layer.Width, d = layer.HeadSize, ld = 3 * c;
            float scale = 1f / MathF.Sqrt(d);
            ReadOnlySpan<float> qkv = _qkv!.Span.Slice(b * t * ld);
            ReadOnlySpan<float> q = qkv.Slice(h * d), k = qkv.Slice(c + h * d), v = qkv.Slice(2 * c + h * d);
            ReadOnlySpan<float> p = _p!.Span.Slice((b * layer.Heads + h) * t * t, t * t);
            ReadOnlySpan<float> dz = _dz!.Span.Slice(b * t * c + h * d);
            Span<float> ds = _ds!.Span.Slice((b * layer.Heads + h) * t * t, t * t);
            Span<float> dqkv = _dqkv!.Span.Slice(b * t * ld);
            Gemm.Multiply(false, true, t, t, d, 1f, dz, c, v, ld, 0f, ds, t, threads: 1);
            Gemm.Multiply(true, false, t, d, t, 1f, p, t, dz, c, 0f, dqkv.Slice(2 * c + h * d), ld, threads: 1);
            for (int i = 0; i < t; i++)
            {
                var row = ds.Slice(i * t, t);
                var seen = row[..(i + 1)];
                var pSeen = p.Slice(i * t, i + 1);
                float dot = TensorMath.Dot(pSeen, seen);
                TensorMath.Add(seen, -dot, seen);
                TensorMath.Multiply(pSeen, seen, seen);
                row[(i + 1)..].Clear();
            }
            Gemm.Multiply(false, false, t, d, t, scale, ds, t, k, ld, 0f, dqkv.Slice(h * d), ld, threads: 1);
            Gemm.Multiply(true, false, t, d, t, scale, ds, t, q, ld, 0f, dqkv.Slice(c + h * d), ld, threads: 1);
        }
    }
}
