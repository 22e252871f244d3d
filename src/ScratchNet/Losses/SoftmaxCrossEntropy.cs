using ScratchNet.Tensors;

namespace ScratchNet.Losses;

/// <summary>
/// Softmax followed by the negative log-likelihood of the true class, fused, on raw logits z of shape
/// (batch, classes): L = -(1/B) Σ_b log softmax(z_b)_{t_b}, with log softmax(z)_j = z_j - m - log Σ_k e^(z_k - m),
/// m = max_k z_k (so no exp overflows). Targets are class indices stored as floats, shape (batch).
/// </summary>
/// <remarks>
/// Gradient: dL/dz = (softmax(z) - onehot(t)) / B. With <see cref="ClassWeights"/> w, each row counts
/// w_t times: L = -(1/B) Σ_b w_{t_b} log softmax(z_b)_{t_b} and dL/dz_b = w_{t_b} (softmax(z_b) - onehot(t_b)) / B.
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    private Tensor? _probabilities, _gradient;
    private int[] _targets = [];

    /// <summary>
    /// A weight per class multiplying each row's loss by its true class's weight (null: all 1), e.g.
    /// <see cref="ClassWeighting.Balanced"/>'s n / (k·n_c). Each must be positive and finite.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights
    {
        get => _weights;
        set => _weights = ClassWeighting.Checked(value);
    }

    private float[]? _weights;

    /// <summary>softmax(z) from the last <see cref="Forward"/> (a buffer the loss owns).</summary>
    public Tensor? Probabilities => _probabilities;

    /// <inheritdoc/>
    public override float Forward(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Rank != 2)
            throw new ArgumentException($"SoftmaxCrossEntropy: logits must be (batch, classes), got {prediction.ShapeString}.");
        int batch = prediction.Rows, classes = prediction.Columns;
        if (classes == 0)
            throw new ArgumentException($"SoftmaxCrossEntropy: logits {prediction.ShapeString} have no classes.");
        if (target.Length != batch)
            throw new ShapeMismatchException($"SoftmaxCrossEntropy: logits vs. targets (one class index per row: {batch} values, got {target.Length})", prediction.ShapeString, target.ShapeString);
        if (_targets.Length != batch) _targets = new int[batch];
        var t = target.Span;
        for (int b = 0; b < batch; b++)
        {
            float v = t[b];
            if (!(v >= 0 && v < classes) || v != MathF.Floor(v))
                throw new ArgumentException($"SoftmaxCrossEntropy: target {b} is {v}, not a class index in [0, {classes}).");
            if (_weights is not null && _weights.Length != classes)
                throw new ArgumentException($"SoftmaxCrossEntropy: {_weights.Length} class weights for {classes} classes.");
            _targets[b] = (int)v;
        }
        if (_probabilities is null || !_probabilities.SameShape(prediction)) _probabilities = new Tensor(batch, classes);

        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> z = prediction.Row(b);
            var p = _probabilities.Row(b);
            float max = TensorMath.Max(z);
            TensorMath.Add(z, -max, p);
            TensorMath.Exp(p, p);
            double sum = TensorMath.Sum(p);
            // -log softmax(z)_t = log Σ e^(z_k - m) - (z_t - m)
            total += (Math.Log(sum) - (z[_targets[b]] - max)) * Weight(b);
            TensorMath.Scale(p, (float)(1.0 / sum), p);
        }
        LastValue = batch == 0 ? 0 : total / batch;
        return (float)LastValue;
    }

    /// <inheritdoc/>
    public override Tensor Backward()
    {
        var p = _probabilities ?? throw new InvalidOperationException("SoftmaxCrossEntropy: Backward called before Forward.");
        if (_gradient is null || !_gradient.SameShape(p)) _gradient = new Tensor(p.ShapeArray());
        int batch = p.Rows;
        float scale = batch == 0 ? 0f : 1f / batch;
        TensorMath.Scale(p.Span, scale, _gradient.Span);
        for (int b = 0; b < batch; b++) _gradient.Row(b)[_targets[b]] -= scale;
        if (_weights is not null)
            for (int b = 0; b < batch; b++) TensorMath.Scale(_gradient.Row(b), _weights[_targets[b]], _gradient.Row(b));
        return _gradient;
    }

    private double Weight(int row) => _weights is null ? 1 : _weights[_targets[row]];
}
