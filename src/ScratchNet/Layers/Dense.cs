using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Fully connected layer: y = x W + b, with x of shape (batch, inputs), W of shape (inputs, units)
/// and b of shape (units), added to every row.
/// </summary>
/// <remarks>
/// Backward, for dY = dL/dy of shape (batch, units):
/// dL/dW = xᵀ dY, dL/db = Σ_rows dY, dL/dx = dY Wᵀ. Each product is one GEMM that reads the
/// transposed operand in place (no transposed copy is made).
/// Weights start from <see cref="WeightInit"/>: Glorot uniform unless told. Before a ReLU-family
/// activation pass He: <c>new Dense(256, new HeUniform())</c>, or let the activation choose,
/// <c>new Dense(256, Initializer.ForActivation("ReLU"))</c>. Biases start at zero.
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
    public Dense(int units, Initializer? weightInit = null, bool useBias = true)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), $"Dense: units must be positive (got {units}).");
        Units = units;
        WeightInit = weightInit ?? new XavierUniform();
        UseBias = useBias;
    }

    /// <summary>Number of output features.</summary>
    public int Units { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }

    /// <summary>The initialiser used for W at build time.</summary>
    public Initializer WeightInit { get; }

    /// <summary>Number of input features (after <see cref="Layer.Build"/>).</summary>
    public int Inputs { get; private set; }

    /// <summary>W, shape (inputs, units).</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>b, shape (units); null without bias.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("Dense", new Dictionary<string, string>
    {
        ["units"] = SpecText.Int(Units),
        ["weightInit"] = WeightInit.Name,
        ["useBias"] = SpecText.Bool(UseBias),
    });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => [Units];

    /// <summary>W (inputs x units) and b (units); inputs · units multiply-adds per sample.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        RequireFlat(inputShape);
        long weights = LayerCost.Times(inputShape[0], Units);
        return new LayerCost(LayerCost.Plus(weights, UseBias ? Units : 0), Units, weights);
    }

    private void RequireFlat(int[] inputShape)
    {
        if (inputShape.Length != 1 || inputShape[0] < 1)
            throw new ArgumentException($"{this}: needs a flat input per sample, got {Tensor.FormatShape(inputShape)}; put a Flatten layer before it.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireFlat(inputShape);
        Inputs = inputShape[0];
        var w = new Tensor(Inputs, Units);
        WeightInit.Fill(w, Inputs, Units, rng);
        _weight = new Parameter("weight", w);
        _bias = UseBias ? new Parameter("bias", new Tensor(Units)) { Decays = false } : null;
        _parameters = _bias is null ? [_weight] : [_weight, _bias];
    }

    /// <summary>y = x W + b.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int batch = input.Dim(0);
        var y = _output = _outputBuffer.For([batch, Units]);
        _input = input;
        Gemm.Multiply(false, false, batch, Units, Inputs, 1f, input.Span, Inputs, Weight.Value.Span, Units, 0f, y.Span, Units);
        if (_bias is not null) TensorMath.AddRowVector(y, _bias.Value.Span);
        return y;
    }

    /// <summary>dW = xᵀ dY, db = Σ_rows dY; returns dx = dY Wᵀ (skipped when <see cref="Layer.InputGradientRequired"/> is false).</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var x = _input!;
        int batch = x.Dim(0);
        var w = Weight;
        Gemm.Multiply(true, false, Inputs, Units, batch, 1f, x.Span, Inputs, gradOutput.Span, Units, 0f, w.Gradient.Span, Units);
        if (_bias is not null) TensorMath.SumOverRows(gradOutput, _bias.Gradient.Span);
        var dx = _gradInputBuffer.For([batch, Inputs]);
        if (!InputGradientRequired) return dx;
        Gemm.Multiply(false, true, batch, Inputs, Units, 1f, gradOutput.Span, Units, w.Value.Span, Units, 0f, dx.Span, Inputs);
        return dx;
    }
}
