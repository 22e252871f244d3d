using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Inverted dropout: while training, each element is kept with probability 1 - p and scaled by
/// 1 / (1 - p), or set to 0: y = x ⊙ m, m_i ∈ {0, 1/(1 - p)}, so E[y] = x. At inference y = x
/// (no rescaling needed). Backward: dx = dy ⊙ m with the same mask.
/// </summary>
/// <remarks>
/// The mask comes from the layer's own <see cref="Rng"/>, forked from the build generator, one
/// draw per element in row-major order: the same seed gives the same masks, and restoring the
/// generator's state (see <see cref="IStochasticLayer"/>) resumes the sequence exactly.
/// At inference, or with p = 0, Forward returns its input and Backward its gradOutput unchanged.
/// </remarks>
public sealed class Dropout : Layer, IStochasticLayer
{
    private Rng? _rng;
    private Tensor? _mask, _output, _gradInput, _lastOutput;
    private bool _passThrough;

    /// <summary>Dropout that zeroes each element with probability <paramref name="rate"/>, in [0, 1).</summary>
    public Dropout(float rate)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), $"Dropout: rate must be in [0, 1) (got {rate}).");
        Rate = rate;
    }

    /// <summary>The probability p that an element is dropped.</summary>
    public float Rate { get; }

    /// <summary>The layer's generator for masks.</summary>
    public Rng Rng => _rng ?? throw new InvalidOperationException($"{this}: not built yet, so it has no generator.");

    /// <summary>The mask m of the last training forward pass (values 0 or 1/(1-p)); null before one.</summary>
    public Tensor? Mask => _mask;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("Dropout", new Dictionary<string, string> { ["rate"] = SpecText.Float(Rate) });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng) => _rng = rng.Fork();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        _passThrough = !training || Rate == 0f;
        if (_passThrough)
        {
            _lastOutput = input;
            return input;
        }
        var mask = EnsureBufferLike(ref _mask, input);
        var y = EnsureBufferLike(ref _output, input);
        DrawMask(mask.Span);
        TensorMath.Multiply(input.Span, mask.Span, y.Span);
        _lastOutput = y;
        return y;
    }

    /// <summary>
    /// The next training mask from <see cref="Rng"/>, as <see cref="Forward"/> draws it: one draw u per
    /// element in order, <c>m_i = 0</c> if u &lt; p, else <c>1/(1 − p)</c>. A device engine that applies the
    /// mask on the device calls this instead of Forward, so both walk the one generator alike.
    /// </summary>
    public void DrawMask(Span<float> mask)
    {
        var rng = Rng;
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() < Rate ? 0f : keep;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _lastOutput);
        if (_passThrough) return gradOutput;
        var dx = EnsureBufferLike(ref _gradInput, gradOutput);
        TensorMath.Multiply(gradOutput.Span, _mask!.Span, dx.Span);
        return dx;
    }
}
