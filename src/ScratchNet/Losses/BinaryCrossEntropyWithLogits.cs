using ScratchNet.Tensors;

namespace ScratchNet.Losses;

/// <summary>
/// Sigmoid and binary cross-entropy fused, on logits z with targets y in [0, 1], mean over every element:
/// L = (1/N) Σ_i [max(z_i, 0) - z_i y_i + log(1 + e^(-|z_i|))], which equals
/// -(y log σ(z) + (1 - y) log(1 - σ(z))) but never takes the log of 0 or overflows exp.
/// Gradient: dL/dz_i = (σ(z_i) - y_i) / N. With <see cref="ClassWeights"/> (w₀, w₁) each element counts
/// w_i = (1 - y_i) w₀ + y_i w₁ times (the true class's weight for a 0/1 target): L = (1/N) Σ_i w_i ℓ_i,
/// dL/dz_i = w_i (σ(z_i) - y_i) / N.
/// </summary>
public sealed class BinaryCrossEntropyWithLogits : Loss
{
    private Tensor? _gradient;
    private float[]? _weights;

    /// <summary>The weights (w₀, w₁) of classes 0 and 1 (null: both 1), e.g. <see cref="ClassWeighting.Balanced"/>'s n / (2·n_c).</summary>
    public IReadOnlyList<float>? ClassWeights
    {
        get => _weights;
        set
        {
            var w = ClassWeighting.Checked(value);
            if (w is not null && w.Length != 2) throw new ArgumentException($"BinaryCrossEntropyWithLogits takes 2 class weights (got {w.Length}).");
            _weights = w;
        }
    }

    /// <inheritdoc/>
    public override float Forward(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        ShapeError.RequireSameLength(prediction, target, "BinaryCrossEntropyWithLogits: logits vs. target");
        if (_gradient is null || !_gradient.SameShape(prediction)) _gradient = new Tensor(prediction.ShapeArray());
        ReadOnlySpan<float> z = prediction.Span, y = target.Span;
        var g = _gradient.Span;
        int n = z.Length;
        double sum = 0;
        double scale = n == 0 ? 0 : 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            double zi = z[i], yi = y[i];
            double e = Math.Exp(-Math.Abs(zi));
            double w = _weights is null ? 1 : (1 - yi) * _weights[0] + yi * _weights[1];
            sum += (Math.Max(zi, 0) - zi * yi + Math.Log(1 + e)) * w;
            double sigmoid = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
            g[i] = (float)((sigmoid - yi) * w * scale);
        }
        LastValue = n == 0 ? 0 : sum / n;
        return (float)LastValue;
    }

    /// <inheritdoc/>
    public override Tensor Backward() =>
        _gradient ?? throw new InvalidOperationException("BinaryCrossEntropyWithLogits: Backward called before Forward.");
}
