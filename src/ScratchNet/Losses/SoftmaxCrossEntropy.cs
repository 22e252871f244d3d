using ScratchNet.Tensors;

namespace ScratchNet.Losses;

/// <summary>
/// Softmax followed by the negative log-likelihood of the true class, fused, on raw logits z of shape
/// (batch, classes): L = -(1/B) Σ_b log softmax(z_b)_{t_b}, with log softmax(z)_j = z_j - m - log Σ_k e^(z_k - m),
/// m = max_k z_k (so no exp overflows). Targets are class indices stored as floats, shape (batch).
/// Sequence outputs: logits (batch, T, classes) with targets (batch, T) (any leading dimensions, the
/// classes last) are N = batch · T rows, and the loss is the mean over all N positions:
/// L = -(1/N) Σ_n log softmax(z_n)_{t_n}, as PyTorch's cross_entropy on the flattened logits.
/// A target of <see cref="Targets.Ignored"/> (−1: the padding after a name's end) marks a position no
/// loss counts: N is then the number of the other positions, and the ignored rows get no gradient
/// (PyTorch's ignore_index = −1).
/// </summary>
/// <remarks>
/// Gradient: dL/dz = (softmax(z) - onehot(t)) / N, N the number of counted rows (B for (batch, classes) logits). With <see cref="ClassWeights"/> w, each row counts
/// w_t times: L = -(1/B) Σ_b w_{t_b} log softmax(z_b)_{t_b} and dL/dz_b = w_{t_b} (softmax(z_b) - onehot(t_b)) / B.
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    private Tensor? _probabilities, _gradient;
    private int[] _targets = [];
    private int _counted;

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

    /// <summary>The rows the last <see cref="Forward"/> counted: those whose target is not <see cref="Targets.Ignored"/>.</summary>
    public int CountedRows => _counted;

    /// <summary>softmax(z) from the last <see cref="Forward"/> (a buffer the loss owns).</summary>
    public Tensor? Probabilities => _probabilities;

    /// <inheritdoc/>
    public override float Forward(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Rank < 2)
            throw new ArgumentException($"SoftmaxCrossEntropy: logits must be (batch, classes) or (batch, ..., classes), got {prediction.ShapeString}.");
        int classes = prediction.Dim(-1);
        if (classes == 0)
            throw new ArgumentException($"SoftmaxCrossEntropy: logits {prediction.ShapeString} have no classes.");
        int rows = prediction.Length / classes;
        if (target.Length != rows || (prediction.Rank > 2 && !target.Shape.SequenceEqual(prediction.Shape[..^1])))
            throw new ShapeMismatchException($"SoftmaxCrossEntropy: logits vs. targets (one class index per row of logits: {rows} values, shaped as the logits without their last axis)", prediction.ShapeString, target.ShapeString);
        if (_weights is not null && _weights.Length != classes)
            throw new ArgumentException($"SoftmaxCrossEntropy: {_weights.Length} class weights for {classes} classes.");
        if (_targets.Length != rows) _targets = new int[rows];
        var t = target.Span;
        _counted = 0;
        for (int b = 0; b < rows; b++)
        {
            float v = t[b];
            if (v == Targets.Ignored) { _targets[b] = -1; continue; }
            if (!(v >= 0 && v < classes) || v != MathF.Floor(v))
                throw new ArgumentException($"SoftmaxCrossEntropy: target {Position(target, b)} is {v}, not a class index in [0, {classes}) or {Targets.Ignored} (ignored).");
            _targets[b] = (int)v;
            _counted++;
        }
        if (_probabilities is null || !_probabilities.SameShape(prediction)) _probabilities = new Tensor(prediction.ShapeArray());

        double total = 0;
        ReadOnlySpan<float> logits = prediction.Span;
        Span<float> probabilities = _probabilities.Span;
        for (int b = 0; b < rows; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            var p = probabilities.Slice(b * classes, classes);
            float max = TensorMath.Max(z);
            TensorMath.Add(z, -max, p);
            TensorMath.Exp(p, p);
            double sum = TensorMath.Sum(p);
            // -log softmax(z)_t = log Σ e^(z_k - m) - (z_t - m)
            if (_targets[b] >= 0) total += (Math.Log(sum) - (z[_targets[b]] - max)) * Weight(b);
            TensorMath.Scale(p, (float)(1.0 / sum), p);
        }
        LastValue = _counted == 0 ? 0 : total / _counted;
        return (float)LastValue;
    }

    /// <inheritdoc/>
    public override Tensor Backward()
    {
        var p = _probabilities ?? throw new InvalidOperationException("SoftmaxCrossEntropy: Backward called before Forward.");
        if (_gradient is null || !_gradient.SameShape(p)) _gradient = new Tensor(p.ShapeArray());
        int classes = p.Dim(-1), rows = classes == 0 ? 0 : p.Length / classes;
        float scale = _counted == 0 ? 0f : 1f / _counted;
        var g = _gradient.Span;
        TensorMath.Scale(p.Span, scale, g);
        for (int b = 0; b < rows; b++)
        {
            if (_targets[b] < 0) { g.Slice(b * classes, classes).Clear(); continue; }
            g[b * classes + _targets[b]] -= scale;
        }
        if (_weights is not null)
            for (int b = 0; b < rows; b++)
            {
                if (_targets[b] < 0) continue;
                var row = g.Slice(b * classes, classes);
                TensorMath.Scale(row, _weights[_targets[b]], row);
            }
        return _gradient;
    }

    /// <summary>"5" for a (batch) target, "(2, 7)" for row 2·T + 7 of a (batch, T) one.</summary>
    private static string Position(Tensor target, int index)
    {
        if (target.Rank <= 1) return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var position = new int[target.Rank];
        for (int axis = target.Rank - 1; axis >= 0; axis--)
        {
            position[axis] = index % target.Dim(axis);
            index /= target.Dim(axis);
        }
        return Tensor.FormatShape(position);
    }

    private double Weight(int row) => _weights is null ? 1 : _weights[_targets[row]];
}
