using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// A learned lookup table: token ids x of shape (batch, T) give vectors y of shape (batch, T, C),
/// y[b, t, :] = W[x[b, t], :], with W of shape (V, C) for a vocabulary of V tokens.
/// </summary>
/// <remarks>
/// <para>
/// The ids travel as float32 in an ordinary tensor (the one kind of tensor the library has); each
/// must be a whole number in [0, V), exactly representable as float32 for V ≤ 2²⁴. Anything else is
/// refused with an error naming the position and the value.
/// </para>
/// <para>
/// Backward: dL/dW[v, :] = Σ over the positions (b, t) with x[b, t] = v of dL/dy[b, t, :], added in
/// position order (so the bits do not depend on threads). The ids are not differentiable: the input
/// gradient returned is zero. W starts as N(0, σ²) with σ = 0.02 (nanoGPT's initialisation) unless
/// told, and does not decay (<see cref="Parameter.Decays"/> is false), as in nanoGPT.
/// </para>
/// </remarks>
public sealed class Embedding : Layer
{
    /// <summary>The largest vocabulary: every id below it is exactly a float32.</summary>
    public const int MaxVocabulary = 1 << 24;

    private Parameter? _weight;
    private Parameter[] _parameters = [];
    private Tensor? _output, _gradInput;
    // The output grows to the largest batch and gives views to smaller ones: evaluation batches do not reallocate it.
    private readonly GrowingBuffer _outputStore = new();
    private int[] _ids = [];
    private int _positions;

    /// <summary>An embedding of <paramref name="vocabulary"/> tokens into <paramref name="dimensions"/> values each, W ~ N(0, <paramref name="initStd"/>²).</summary>
    public Embedding(int vocabulary, int dimensions, float initStd = 0.02f)
    {
        if (vocabulary < 1 || vocabulary > MaxVocabulary)
            throw new ArgumentOutOfRangeException(nameof(vocabulary), $"Embedding: the vocabulary must be in [1, {MaxVocabulary}] (got {vocabulary}).");
        if (dimensions < 1 || dimensions > Limits.MaxLayerWidth)
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"Embedding: dimensions must be in [1, {Limits.MaxLayerWidth}] (got {dimensions}).");
        if (!(initStd >= 0) || float.IsInfinity(initStd))
            throw new ArgumentOutOfRangeException(nameof(initStd), $"Embedding: initStd must be a number >= 0 (got {initStd}).");
        Vocabulary = vocabulary;
        Dimensions = dimensions;
        InitStd = initStd;
    }

    /// <summary>V, the number of token ids.</summary>
    public int Vocabulary { get; }

    /// <summary>C, the length of each vector.</summary>
    public int Dimensions { get; }

    /// <summary>σ of the normal initialisation of W.</summary>
    public float InitStd { get; }

    /// <summary>W, shape (V, C).</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this}: not built yet.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("Embedding", new Dictionary<string, string>
    {
        ["vocabulary"] = SpecText.Int(Vocabulary),
        ["dimensions"] = SpecText.Int(Dimensions),
        ["initStd"] = SpecText.Float(InitStd),
    });

    /// <summary>Rebuilds an embedding from its spec.</summary>
    internal static Embedding FromSpec(LayerSpec spec) =>
        new(spec.GetInt("vocabulary"), spec.GetInt("dimensions"), SpecText.GetFloat(spec, "initStd", 0.02f));

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        RequireSequence(inputShape);
        return [inputShape[0], Dimensions];
    }

    /// <summary>W (V·C values); one copied value per output.</summary>
    public override LayerCost Cost(int[] inputShape)
    {
        long outputs = LayerCost.Elements(OutputShape(inputShape));
        return new LayerCost(LayerCost.Times(Vocabulary, Dimensions), outputs, outputs);
    }

    private void RequireSequence(int[] inputShape)
    {
        if (inputShape.Length != 1)
            throw new ArgumentException($"{this}: needs a sequence of token ids per sample, shape (T), got {Tensor.FormatShape(inputShape)}.");
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        RequireSequence(inputShape);
        var w = new Tensor(Vocabulary, Dimensions);
        foreach (ref float v in w.Span) v = InitStd * (float)rng.NextGaussian();
        _weight = new Parameter("weight", w) { Decays = false };
        _parameters = [_weight];
    }

    /// <summary>y[b, t, :] = W[x[b, t], :].</summary>
    /// <exception cref="ArgumentException">An id is not a whole number in [0, V).</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int batch = input.Dim(0), steps = input.Dim(1), c = Dimensions;
        var y = _output = _outputStore.For([batch, steps, c]);
        var x = input.Span;
        if (_ids.Length < x.Length) _ids = new int[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!(v >= 0 && v < Vocabulary) || v != MathF.Floor(v))
                throw new ArgumentException($"{this}: input ({i / steps}, {i % steps}) is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a token id in [0, {Vocabulary}).");
            _ids[i] = (int)v;
        }
        _positions = x.Length;
        ReadOnlySpan<float> w = Weight.Value.Span;
        var ys = y.Span;
        for (int i = 0; i < _positions; i++) w.Slice(_ids[i] * c, c).CopyTo(ys.Slice(i * c, c));
        return y;
    }

    /// <summary>dW[v, :] = Σ_{positions with id v} dy (in position order); returns a zero input gradient.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int c = Dimensions;
        var dw = Weight.Gradient.Span;
        dw.Clear();
        ReadOnlySpan<float> dy = gradOutput.Span;
        for (int i = 0; i < _positions; i++)
        {
            var row = dw.Slice(_ids[i] * c, c);
            TensorMath.Add(row, dy.Slice(i * c, c), row);
        }
        int batch = gradOutput.Dim(0);
        return EnsureBuffer(ref _gradInput, batch, InputShape); // zero: ids have no gradient
    }
}
