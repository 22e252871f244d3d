using System.Runtime.Intrinsics;
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
/// <see cref="Forward"/> computes the loss and this gradient together, in one pass per row over e = exp(z - m):
/// p = e / Σe and g = p / N from the same load; <see cref="Backward"/> returns it.
/// </remarks>
public sealed class SoftmaxCrossEntropy : Loss
{
    private Tensor? _probabilities, _gradient;
    private float[] _probabilityStore = [], _gradientStore = [];
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
        if (_targets.Length < rows) _targets = new int[rows]; // grows only: a shorter last batch uses the first rows
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
        _probabilities = View(ref _probabilityStore, _probabilities, prediction);
        _gradient = View(ref _gradientStore, _gradient, prediction);

        // One pass per row over e = exp(z - m) writes both softmax(z) and dL/dz (see the remarks).
        double total = 0;
        float scale = _counted == 0 ? 0f : 1f / _counted;
        ReadOnlySpan<float> logits = prediction.Span;
        Span<float> probabilities = _probabilities.Span, gradient = _gradient.Span;
        for (int b = 0; b < rows; b++)
        {
            ReadOnlySpan<float> z = logits.Slice(b * classes, classes);
            var p = probabilities.Slice(b * classes, classes);
            var g = gradient.Slice(b * classes, classes);
            float max = TensorMath.Max(z);
            TensorMath.Add(z, -max, p);
            TensorMath.Exp(p, p);
            double sum = TensorMath.Sum(p);
            int c = _targets[b];
            // -log softmax(z)_c = log Σ e^(z_k - m) - (z_c - m)
            if (c >= 0) total += (Math.Log(sum) - (z[c] - max)) * Weight(b);
            Vectorized.Update(new ProbabilityAndGradient((float)(1.0 / sum), scale), p, g, p);
            if (c < 0) { g.Clear(); continue; }
            g[c] -= scale;
            if (_weights is not null) TensorMath.Scale(g, _weights[c], g);
        }
        LastValue = _counted == 0 ? 0 : total / _counted;
        return (float)LastValue;
    }

    /// <summary>dL/dz of the last <see cref="Forward"/>, which computed it with the loss (a buffer the loss owns).</summary>
    public override Tensor Backward() =>
        _gradient ?? throw new InvalidOperationException("SoftmaxCrossEntropy: Backward called before Forward.");

    /// <summary>A tensor shaped as <paramref name="like"/> on <paramref name="store"/>, which only grows: a shorter last batch reuses it.</summary>
    private static Tensor View(ref float[] store, Tensor? view, Tensor like)
    {
        if (view is not null && view.SameShape(like)) return view;
        if (store.Length < like.Length) store = new float[like.Length];
        return new Tensor(store, 0, like.ShapeArray());
    }

    /// <summary>p ← e · (1/Σe), the softmax; g ← p · (1/N), the gradient before its target and weight terms.</summary>
    private readonly struct ProbabilityAndGradient(float inverseSum, float scale) : IUpdate2Operator
    {
        public void Invoke(ref float p, ref float g, float e) { p = e * inverseSum; g = p * scale; }
        public void Invoke(ref Vector512<float> p, ref Vector512<float> g, Vector512<float> e) { p = e * inverseSum; g = p * scale; }
        public void Invoke(ref Vector256<float> p, ref Vector256<float> g, Vector256<float> e) { p = e * inverseSum; g = p * scale; }
        public void Invoke(ref Vector128<float> p, ref Vector128<float> g, Vector128<float> e) { p = e * inverseSum; g = p * scale; }
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
