using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// A pre-norm transformer block (GPT-2, nanoGPT): (batch, T, C) → (batch, T, C),
/// <code>
/// h = x + Attn(LN₁(x))                          Attn: <see cref="CausalSelfAttention"/> with H heads
/// y = h + W₂ GELU(W₁ LN₂(h) + b₁) + b₂           W₁: C x 4C, W₂: 4C x C (the MLP)
/// </code>
/// one composite layer that holds its six sublayers and runs them in order.
/// </summary>
/// <remarks>
/// Backward sums the gradients of each residual connection: from dL/dy,
/// <code>
/// dL/dh = dL/dy + LN₂ᵀ(MLPᵀ(dL/dy))     (the skip path, plus the path through the MLP)
/// dL/dx = dL/dh + LN₁ᵀ(Attnᵀ(dL/dh))
/// </code>
/// where Fᵀ(g) is sublayer F's Backward. Its parameters are its sublayers' under the names "ln1.gamma",
/// "attn.qkv.weight", "mlp.fc.weight", ... (see <see cref="Parameter.Prefixed"/>). There is no dropout
/// inside the block (nanoGPT's configurations for CPU use 0).
/// </remarks>
public sealed class TransformerBlock : Layer
{
    private readonly LayerNorm _norm1 = new(), _norm2 = new();
    private readonly CausalSelfAttention _attention;
    private readonly GELU _gelu = new();
    private Dense? _fc, _projection;
    private Parameter[] _parameters = [];
    private Tensor? _residual, _output, _gradResidual, _gradInput;
    // Forward buffers grow to the largest batch and give views to smaller ones: evaluation batches do not reallocate them.
    private readonly GrowingBuffer _residualStore = new(), _outputStore = new();

    /// <summary>A block with <paramref name="heads"/> attention heads; the width C comes from the input and must be a multiple of it.</summary>
    /// <param name="heads">H.</param>
    /// <param name="weightInit">Initialiser for the four weight matrices (attention and MLP); null means <see cref="Dense"/>'s default.</param>
    /// <param name="biasInit">Initialiser for their biases; null means zeros.</param>
    public TransformerBlock(int heads, Initializer? weightInit = null, Initializer? biasInit = null)
    {
        _attention = new CausalSelfAttention(heads, weightInit, biasInit);
    }

    /// <summary>The weight initialiser of the attention and MLP layers; null: <see cref="Dense"/>'s default.</summary>
    public Initializer? WeightInit => _attention.WeightInit;

    /// <summary>The bias initialiser of the attention and MLP layers; null: zeros.</summary>
    public Initializer? BiasInit => _attention.BiasInit;

    /// <summary>H, the number of attention heads.</summary>
    public int Heads => _attention.Heads;

    /// <summary>LN₁, before the attention.</summary>
    public LayerNorm AttentionNorm => _norm1;

    /// <summary>The causal self-attention.</summary>
    public CausalSelfAttention Attention => _attention;

    /// <summary>LN₂, before the MLP.</summary>
    public LayerNorm MlpNorm => _norm2;

    /// <summary>The MLP's first layer, W₁ (C x 4C) and b₁.</summary>
    public Dense MlpHidden => _fc ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>The MLP's second layer, W₂ (4C x C) and b₂.</summary>
    public Dense MlpOutput => _projection ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("TransformerBlock", SpecText.WithInitializers(new Dictionary<string, string> { ["heads"] = SpecText.Int(Heads) }, WeightInit, BiasInit));

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => _attention.OutputShape(inputShape);

    /// <summary>The sublayers' costs added, plus the block's two residual buffers (2TC) and its additions.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        var attention = _attention.Cost(inputShape);
        int[] wide = [inputShape[0], 4 * inputShape[1]];
        LayerCost[] parts =
        [
            _norm1.Cost(inputShape), attention, _norm2.Cost(inputShape),
            new Dense(4 * inputShape[1]).Cost(inputShape), _gelu.Cost(wide), new Dense(inputShape[1]).Cost(wide),
        ];
        long values = LayerCost.Elements(inputShape);
        long stored = 0, outputs = LayerCost.Times(2, values), work = LayerCost.Times(2, values);
        foreach (var part in parts)
        {
            stored = LayerCost.Plus(stored, part.StoredFloats);
            outputs = LayerCost.Plus(outputs, part.OutputFloats);
            work = LayerCost.Plus(work, part.MultiplyAdds);
        }
        return new LayerCost(stored, outputs, work);
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        int c = _attention.OutputShape(inputShape)[1];
        int[] wide = [inputShape[0], 4 * c];
        _norm1.Build(inputShape, rng);
        _attention.Build(inputShape, rng);
        _norm2.Build(inputShape, rng);
        _fc = new Dense(4 * c, WeightInit, biasInit: BiasInit);
        _fc.Build(inputShape, rng);
        _gelu.Build(wide, rng);
        _projection = new Dense(c, WeightInit, biasInit: BiasInit);
        _projection.Build(wide, rng);
        _parameters =
        [
            .. _norm1.Parameters.Select(p => p.Prefixed("ln1")),
            .. _attention.Parameters.Select(p => p.Prefixed("attn")),
            .. _norm2.Parameters.Select(p => p.Prefixed("ln2")),
            .. _fc.Parameters.Select(p => p.Prefixed("mlp.fc")),
            .. _projection.Parameters.Select(p => p.Prefixed("mlp.proj")),
        ];
    }

    /// <summary>h = x + Attn(LN₁(x)); y = h + MLP(LN₂(h)).</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        var h = _residual = _residualStore.For(input.Shape);
        TensorMath.Add(input.Span, _attention.Forward(_norm1.Forward(input, training), training).Span, h.Span);
        var m = _projection!.Forward(_gelu.Forward(_fc!.Forward(_norm2.Forward(h, training), training), training), training);
        var y = _output = _outputStore.For(input.Shape);
        TensorMath.Add(h.Span, m.Span, y.Span);
        return y;
    }

    /// <summary>dh = dy + LN₂ᵀ(MLPᵀ(dy)); dx = dh + LN₁ᵀ(Attnᵀ(dh)).</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var dm = _norm2.Backward(_fc!.Backward(_gelu.Backward(_projection!.Backward(gradOutput))));
        var dh = EnsureBufferLike(ref _gradResidual, gradOutput);
        TensorMath.Add(gradOutput.Span, dm.Span, dh.Span);
        _norm1.InputGradientRequired = InputGradientRequired; // the attention's dx is LN₁'s dy: always needed
        var da = _norm1.Backward(_attention.Backward(dh));
        var dx = EnsureBufferLike(ref _gradInput, gradOutput);
        if (InputGradientRequired) TensorMath.Add(dh.Span, da.Span, dx.Span);
        return dx;
    }
}
