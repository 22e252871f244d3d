using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers.Recurrent;

/// <summary>
/// What <see cref="SimpleRnn"/>, <see cref="Lstm"/> and <see cref="Gru"/> share: a sequence x of shape
/// (batch, T, C) read one step at a time into a hidden state h_t of <see cref="Units"/> values, h_0 = 0;
/// the output is every h_t, (batch, T, H), or only the last, (batch, H).
/// </summary>
/// <remarks>
/// Each cell has G gate blocks of H columns: W_x (C, G·H) applied to the input, W_h (H, G·H) to the
/// previous state, b (G·H). The input's part of every step is one GEMM before the loop,
/// A = X W_x for all (batch, t) rows at once; only the recurrent products h_{t−1} W_h run step by
/// step. Backpropagation through time mirrors it: the loop runs t = T−1 down to 0 and leaves the
/// gradient of every pre-activation in dA (batch, T, G·H); then dW_x = Xᵀ dA, db = Σ dA and
/// dx = dA W_xᵀ are one GEMM each. Weights and biases start uniform in ±1/√H, as PyTorch's recurrent
/// layers do.
/// </remarks>
public abstract class RecurrentLayer : Layer
{
    private Parameter? _inputWeight, _recurrentWeight, _bias;
    private Parameter[] _parameters = [];
    private readonly GrowingBuffer _preActivation = new(), _states = new(), _last = new(), _gradStates = new(), _gradPre = new(), _gradInput = new();
    private Tensor? _input, _output, _pre, _h;

    /// <summary>A recurrent layer with <paramref name="units"/> hidden values that returns every step or the last.</summary>
    protected RecurrentLayer(int units, bool returnSequences)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), $"{GetType().Name}: units must be positive (got {units}).");
        Units = units;
        ReturnSequences = returnSequences;
    }

    /// <summary>H, the size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Whether the output is every step's state (batch, T, H) rather than the last (batch, H).</summary>
    public bool ReturnSequences { get; }

    /// <summary>G, the number of H-wide blocks of pre-activations (1 for a plain RNN, 4 for an LSTM, 3 for a GRU).</summary>
    protected abstract int Gates { get; }

    /// <summary>T, the steps per sequence (after build).</summary>
    public int Steps { get; private set; }

    /// <summary>C, the features per step (after build).</summary>
    public int Inputs { get; private set; }

    /// <summary>W_x, shape (C, G·H).</summary>
    public Parameter InputWeight => _inputWeight ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>W_h, shape (H, G·H).</summary>
    public Parameter RecurrentWeight => _recurrentWeight ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <summary>b, shape (G·H).</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new(TypeName, new Dictionary<string, string>
    {
        ["units"] = SpecText.Int(Units),
        ["returnSequences"] = SpecText.Bool(ReturnSequences),
    });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireSequence(inputShape);
        return ReturnSequences ? [inputShape[0], Units] : [Units];
    }

    /// <summary>(C + H + 1)·G·H parameters; T·(C + H)·G·H multiply-adds per sample.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        RequireSequence(inputShape);
        long width = LayerCost.Times(Gates, Units);
        long parameters = LayerCost.Times(LayerCost.Plus(LayerCost.Plus(inputShape[1], Units), 1), width);
        long work = LayerCost.Times(inputShape[0], LayerCost.Times(LayerCost.Plus(inputShape[1], Units), width));
        return new LayerCost(parameters, LayerCost.Elements(OutputShape(inputShape)), work);
    }

    private void RequireSequence(int[] inputShape)
    {
        if (inputShape.Length != 2 || inputShape[0] < 1 || inputShape[1] < 1)
            throw new ArgumentException($"{this}: needs a sequence per sample, (steps, features), got {Tensor.FormatShape(inputShape)}.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireSequence(inputShape);
        (Steps, Inputs) = (inputShape[0], inputShape[1]);
        int width = Gates * Units;
        float bound = 1f / MathF.Sqrt(Units);
        _inputWeight = new Parameter("input_weight", Uniform(rng, bound, Inputs, width));
        _recurrentWeight = new Parameter("recurrent_weight", Uniform(rng, bound, Units, width));
        _bias = new Parameter("bias", Uniform(rng, bound, width)) { Decays = false };
        _parameters = [_inputWeight, _recurrentWeight, _bias];
    }

    private static Tensor Uniform(Rng rng, float bound, params int[] shape)
    {
        var t = new Tensor(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = rng.NextUniform(-bound, bound);
        return t;
    }

    /// <summary>Runs the sequence: A = X W_x, then the cell's steps; returns every h_t or the last.</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int batch = input.Dim(0), width = Gates * Units;
        _input = input;
        var a = _pre = _preActivation.For([batch, Steps, width]);
        Gemm.Multiply(false, false, batch * Steps, width, Inputs, 1f, input.Span, Inputs, InputWeight.Value.Span, width, 0f, a.Span, width);
        var h = _h = _states.For([batch, Steps, Units]);
        ForwardSteps(batch, a.Span, h.Span);
        if (ReturnSequences) return _output = h;
        var last = _last.For([batch, Units]);
        for (int b = 0; b < batch; b++)
            h.Span.Slice((b * Steps + Steps - 1) * Units, Units).CopyTo(last.Span.Slice(b * Units, Units));
        return _output = last;
    }

    /// <summary>Backpropagation through time; writes dW_x, dW_h, db and returns dx.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var x = _input!;
        int batch = x.Dim(0), width = Gates * Units;
        var dh = _gradStates.For([batch, Steps, Units]);
        if (ReturnSequences) gradOutput.Span.CopyTo(dh.Span);
        else
        {
            dh.Span.Clear();
            for (int b = 0; b < batch; b++)
                gradOutput.Span.Slice(b * Units, Units).CopyTo(dh.Span.Slice((b * Steps + Steps - 1) * Units, Units));
        }
        var da = _gradPre.For([batch, Steps, width]);
        RecurrentWeight.Gradient.Span.Clear();
        BackwardSteps(batch, dh.Span, da.Span);

        int rows = batch * Steps;
        Gemm.Multiply(true, false, Inputs, width, rows, 1f, x.Span, Inputs, da.Span, width, 0f, InputWeight.Gradient.Span, width);
        var db = Bias.Gradient.Span;
        db.Clear();
        var dAll = da.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = dAll.Slice(r * width, width);
            for (int j = 0; j < width; j++) db[j] += row[j];
        }
        var dx = _gradInput.For([batch, Steps, Inputs]);
        if (!InputGradientRequired) return dx;
        Gemm.Multiply(false, true, rows, Inputs, width, 1f, da.Span, width, InputWeight.Value.Span, width, 0f, dx.Span, Inputs);
        return dx;
    }

    /// <summary>
    /// The cell's forward loop. <paramref name="pre"/> holds X W_x (batch, T, G·H) without the bias; the
    /// cell adds b and its recurrent products, may overwrite it with what its backward needs, and writes
    /// every h_t into <paramref name="states"/> (batch, T, H).
    /// </summary>
    protected abstract void ForwardSteps(int batch, Span<float> pre, Span<float> states);

    /// <summary>
    /// The cell's backward loop, t = T−1 down to 0. <paramref name="gradStates"/> (batch, T, H) holds
    /// dL/dh_t from the layer's output and may be overwritten; the cell writes dL/d(pre-activation)
    /// into <paramref name="gradPre"/> (batch, T, G·H) and adds into W_h's gradient (cleared before).
    /// </summary>
    protected abstract void BackwardSteps(int batch, Span<float> gradStates, Span<float> gradPre);

    /// <summary>
    /// pre[b, t, columns] += state[b, ·] W_h[:, columns] for every b: the recurrent product of step t,
    /// where state rows are <paramref name="stateStride"/> apart and the block starts at <paramref name="column"/>.
    /// </summary>
    protected void AddRecurrentProduct(int batch, ReadOnlySpan<float> state, int stateStride, int column, int columns, Span<float> pre, int t)
    {
        int width = Gates * Units, stride = Steps * width;
        Gemm.Multiply(false, false, batch, columns, Units, 1f, state, stateStride,
            RecurrentWeight.Value.Span[column..], width, 1f, pre[(t * width + column)..], stride);
    }

    /// <summary>
    /// gradState[b, ·] (+)= gradPre[b, t, columns] W_h[:, columns]ᵀ: the gradient a step's
    /// pre-activations send back to the state that fed them (written when <paramref name="accumulate"/> is false).
    /// </summary>
    protected void RecurrentInputGradient(int batch, ReadOnlySpan<float> gradPre, int t, int column, int columns, Span<float> gradState, int gradStride, bool accumulate)
    {
        int width = Gates * Units, stride = Steps * width;
        Gemm.Multiply(false, true, batch, Units, columns, 1f, gradPre[(t * width + column)..], stride,
            RecurrentWeight.Value.Span[column..], width, accumulate ? 1f : 0f, gradState, gradStride);
    }

    /// <summary>dW_h[:, columns] += state[b, ·]ᵀ gradPre[b, t, columns] summed over b.</summary>
    protected void AddRecurrentWeightGradient(int batch, ReadOnlySpan<float> state, int stateStride, ReadOnlySpan<float> gradPre, int t, int column, int columns)
    {
        int width = Gates * Units, stride = Steps * width;
        Gemm.Multiply(true, false, Units, columns, batch, 1f, state, stateStride,
            gradPre[(t * width + column)..], stride, 1f, RecurrentWeight.Gradient.Span[column..], width);
    }

    /// <summary>Every h_t of the last forward pass, (batch, T, H).</summary>
    protected Span<float> StatesOfLastForward => _h!.Span;

    /// <summary>What the cell left in the pre-activation buffer in the last forward pass, (batch, T, G·H).</summary>
    protected Span<float> PreActivationsOfLastForward => _pre!.Span;

    /// <summary>σ(z) = 1 / (1 + e^−z).</summary>
    protected static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
}
