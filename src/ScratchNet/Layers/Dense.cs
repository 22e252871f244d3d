using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Fully connected layer: y = x W + b, with x of shape (batch, inputs), W of shape (inputs, units)
/// and b of shape (units), added to every row. Over leading dimensions, x of shape (batch, ..., inputs)
/// gives y of shape (batch, ..., units): the same product on the n = batch · ... rows of x seen as an
/// n x inputs matrix (a sequence (B, T, C) is B·T rows of C), with no copy.
/// </summary>
/// <remarks>
/// Backward, for dY = dL/dy of shape (batch, ..., units), seen as rows:
/// dL/dW = xᵀ dY, dL/db = Σ_rows dY, dL/dx = dY Wᵀ. Each product is one GEMM that reads the
/// transposed operand in place (no transposed copy is made).
/// Weights start from <see cref="WeightInit"/>: Glorot uniform unless told. Before a ReLU-family
/// activation pass He: <c>new Dense(256, new HeUniform())</c>, or let the activation choose,
/// <c>new Dense(256, Initializer.ForActivation("ReLU"))</c>. Biases start at zero unless
/// <see cref="BiasInit"/> is given (PyTorch's nn.Linear draws them from <see cref="FanInUniform"/>).
/// </remarks>
public sealed class Dense : Layer
{
    private Parameter? _weight, _bias;
    private Parameter[] _parameters = [];
    private Tensor? _input, _output;
    private readonly GrowingBuffer _outputBuffer = new(), _gradInputBuffer = new(); // views for smaller batches: no reallocation

    /// <summary>A dense layer with <paramref name="units"/> outputs.</summary>
    /// <param name="units">Number of output features.</param>
    /// <param name="weightInit">Initialiser for W; null means <see cref="XavierUniform"/>.</param>
    /// <param name="useBias">Whether to add a learned bias b.</param>
    /// <param name="biasInit">Initialiser for b (with the fans of W); null means zeros.</param>
    public Dense(int units, Initializer? weightInit = null, bool useBias = true, Initializer? biasInit = null)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), $"Dense: units must be positive (got {units}).");
        Units = units;
        WeightInit = weightInit ?? new XavierUniform();
        UseBias = useBias;
        BiasInit = biasInit;
    }

    /// <summary>Number of output features.</summary>
    public int Units { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }

    /// <summary>The initialiser used for W at build time.</summary>
    public Initializer WeightInit { get; }

    /// <summary>The initialiser used for b at build time, given W's fans; null: b starts at zero.</summary>
    public Initializer? BiasInit { get; }

    /// <summary>Number of input features (after <see cref="Layer.Build"/>).</summary>
    public int Inputs { get; private set; }

    /// <summary>W, shape (inputs, units).</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>b, shape (units); null without bias.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec
    {
        get
        {
            var settings = new Dictionary<string, string>
            {
                ["units"] = SpecText.Int(Units),
                ["weightInit"] = WeightInit.Name,
                ["useBias"] = SpecText.Bool(UseBias),
            };
            if (BiasInit is not null) settings["biasInit"] = BiasInit.Name;
            return new LayerSpec("Dense", settings);
        }
    }

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireFeatures(inputShape);
        var shape = (int[])inputShape.Clone();
        shape[^1] = Units;
        return shape;
    }

    /// <summary>W (inputs x units) and b (units); inputs · units multiply-adds per row, rows = the product of the leading dimensions.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        RequireFeatures(inputShape);
        long weights = LayerCost.Times(inputShape[^1], Units);
        long rows = LayerCost.Elements(inputShape.AsSpan(0, inputShape.Length - 1));
        return new LayerCost(LayerCost.Plus(weights, UseBias ? Units : 0), LayerCost.Times(rows, Units), LayerCost.Times(rows, weights));
    }

    private void RequireFeatures(int[] inputShape)
    {
        if (inputShape.Length == 0 || inputShape[^1] < 1)
            throw new ArgumentException($"{this}: needs inputs with at least one feature on the last axis, got {Tensor.FormatShape(inputShape)}.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireFeatures(inputShape);
        Inputs = inputShape[^1];
        var w = new Tensor(Inputs, Units);
        WeightInit.Fill(w, Inputs, Units, rng);
        _weight = new Parameter("weight", w);
        if (UseBias)
        {
            var b = new Tensor(Units);
            BiasInit?.Fill(b, Inputs, Units, rng);
            _bias = new Parameter("bias", b) { Decays = false };
        }
        else _bias = null;
        _parameters = _bias is null ? [_weight] : [_weight, _bias];
    }

    /// <summary>y = x W + b.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        var y = Multiply(input);
        if (_bias is not null) TensorMath.AddRowVector(y.Span, _bias.Value.Span);
        return y;
    }

    /// <summary>
    /// Whether <paramref name="next"/>, the layer after this one, can apply its function with this
    /// layer's bias in one pass (<see cref="ForwardThrough"/>): a layer with a bias followed by an
    /// activation that takes it (ReLU).
    /// </summary>
    internal bool CanFuse(Layer next) => _bias is not null && next is Activation { TakesBias: true };

    /// <summary>
    /// f(x W + b) for <paramref name="next"/> the activation f after this layer: this layer's
    /// <see cref="Forward"/> then next's, with the same bits and the same state in both layers, but the
    /// bias add and f in one pass over x W. Only when <see cref="CanFuse"/>.
    /// </summary>
    internal Tensor ForwardThrough(Activation next, Tensor input) => next.ForwardAddingBias(Multiply(input), _bias!.Value);

    /// <summary>
    /// dL/dx of this layer and every parameter gradient, from dL/dy of <paramref name="next"/> (the
    /// activation <see cref="ForwardThrough"/> ran): next's <see cref="Layer.Backward"/> then this
    /// layer's, with the same bits, the activation's gradient and db = Σ_rows dL/dz in one pass.
    /// </summary>
    internal Tensor BackwardThrough(Activation next, Tensor gradOutput) => BackwardProducts(next.BackwardSummingRows(gradOutput, _bias!.Gradient));

    /// <summary>x W into the output buffer (no bias).</summary>
    private Tensor Multiply(Tensor input)
    {
        RequireInput(input);
        int rows = input.Length / Inputs;
        Span<int> shape = stackalloc int[input.Rank]; // (batch, ..., units) without allocating
        input.Shape.CopyTo(shape);
        shape[^1] = Units;
        var y = _output = _outputBuffer.For(shape);
        _input = input;
        Gemm.Multiply(false, false, rows, Units, Inputs, 1f, input.Span, Inputs, Weight.Value.Span, Units, 0f, y.Span, Units);
        return y;
    }

    /// <summary>dW = xᵀ dY, db = Σ_rows dY; returns dx = dY Wᵀ (skipped when <see cref="Layer.InputGradientRequired"/> is false).</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        if (_bias is not null) TensorMath.SumOverRows(gradOutput.Span, _bias.Gradient.Span);
        return BackwardProducts(gradOutput);
    }

    /// <summary>dW = xᵀ dY and dx = dY Wᵀ (db is the caller's).</summary>
    private Tensor BackwardProducts(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var x = _input!;
        int rows = x.Length / Inputs;
        var w = Weight;
        Gemm.Multiply(true, false, Inputs, Units, rows, 1f, x.Span, Inputs, gradOutput.Span, Units, 0f, w.Gradient.Span, Units);
        var dx = _gradInputBuffer.For(x.Shape);
        if (!InputGradientRequired) return dx;
        Gemm.Multiply(false, true, rows, Inputs, Units, 1f, gradOutput.Span, Units, w.Value.Span, Units, 0f, dx.Span, Inputs);
        return dx;
    }
}
