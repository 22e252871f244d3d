using ScratchNet.Tensors;

namespace ScratchNet.Losses;

/// <summary>
/// Mean squared error over every element: L = (1/N) Σ_i (p_i - t_i)², N = the number of elements
/// (batch × outputs), as PyTorch's MSELoss(reduction="mean"). Some texts use 1/2 or divide by the
/// batch only; we do neither. Gradient: dL/dp_i = 2 (p_i - t_i) / N.
/// </summary>
/// <remarks>The target must have as many elements as the prediction, so (batch) and (batch, 1) both fit.</remarks>
public sealed class MeanSquaredError : Loss
{
    private Tensor? _gradient;

    /// <inheritdoc/>
    public override float Forward(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        ShapeError.RequireSameLength(prediction, target, "MeanSquaredError: prediction vs. target");
        if (_gradient is null || !_gradient.SameShape(prediction)) _gradient = new Tensor(prediction.ShapeArray());
        ReadOnlySpan<float> p = prediction.Span, t = target.Span;
        var g = _gradient.Span;
        int n = p.Length;
        double sum = 0;
        float scale = n == 0 ? 0f : 2f / n;
        for (int i = 0; i < n; i++)
        {
            float d = p[i] - t[i];
            sum += (double)d * d;
            g[i] = scale * d;
        }
        LastValue = n == 0 ? 0 : sum / n;
        return (float)LastValue;
    }

    /// <inheritdoc/>
    public override Tensor Backward() =>
        _gradient ?? throw new InvalidOperationException("MeanSquaredError: Backward called before Forward.");
}
