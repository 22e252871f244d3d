using ScratchNet.Tensors;

namespace ScratchNet.Losses;

/// <summary>
/// Sigmoid and binary cross-entropy fused, on logits z with targets y in [0, 1], mean over every element:
/// L = (1/N) Σ_i [max(z_i, 0) - z_i y_i + log(1 + e^(-|z_i|))], which equals
/// -(y log σ(z) + (1 - y) log(1 - σ(z))) but never takes the log of 0 or overflows exp.
/// Gradient: dL/dz_i = (σ(z_i) - y_i) / N. With <see cref="ClassWeights"/> (w₀, w₁) each element counts
/// w_i = (1 - y_i) w₀ + y_i w₁ times (the true class's weight for a 0/1 target): L = (1/N) Σ_i w_i ℓ_i,
/// dL/dz_i = w_i (σ(z_i) - y_i) / N.
/// With <see cref="SumPerSample"/> the elements of each sample are summed and the samples averaged
/// (N becomes the batch's B rows): L = (1/B) Σ_rows Σ_pixels ℓ_i, the reconstruction term of an
/// autoencoder over an image's pixels (PyTorch's binary_cross_entropy with reduction='sum', divided by B).
/// </summary>
public sealed class BinaryCrossEntropyWithLogits : Loss
{
    private Tensor? _gradient;
    private float[]? _weights;

    /// <summary>The mean over every element (the default), or with <paramref name="sumPerSample"/> the sum over each sample's elements, averaged over the samples.</summary>
    public BinaryCrossEntropyWithLogits(bool sumPerSample = false) => SumPerSample = sumPerSample;

    /// <summary>Whether each sample's elements are summed (then averaged over the batch) instead of all elements averaged.</summary>
    public bool SumPerSample { get; }

    /// <summary>"BinaryCrossEntropyWithLogits", or "BinaryCrossEntropyWithLogitsSum" when summed per sample.</summary>
    public override string Name => SumPerSample ? "BinaryCrossEntropyWithLogitsSum" : "BinaryCrossEntropyWithLogits";

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
        int rows = prediction.Rank == 0 ? 1 : prediction.Dim(0);
        int count = SumPerSample ? rows : n; // what the sum is divided by
        double scale = count == 0 ? 0 : 1.0 / count;
        for (int i = 0; i < n; i++)
        {
            double zi = z[i], yi = y[i];
            double e = Math.Exp(-Math.Abs(zi));
            double w = _weights is null ? 1 : (1 - yi) * _weights[0] + yi * _weights[1];
            sum += (Math.Max(zi, 0) - zi * yi + Math.Log(1 + e)) * w;
            double sigmoid = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
            g[i] = (float)((sigmoid - yi) * w * scale);
        }
        LastValue = count == 0 ? 0 : sum / count;
        return (float)LastValue;
    }

    /// <inheritdoc/>
    public override Tensor Backward() =>
        _gradient ?? throw new InvalidOperationException("BinaryCrossEntropyWithLogits: Backward called before Forward.");
}
