using System.Runtime.Intrinsics;
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
        int rows = prediction.Rank == 0 ? 1 : prediction.Dim(0);
        int count = SumPerSample ? rows : n; // what the sum is divided by
        double scale = count == 0 ? 0 : 1.0 / count;
        double sum = _weights is null && Vector256.IsHardwareAccelerated ? SumVector(z, y, g, scale) : SumScalar(z, y, g, scale, _weights);
        LastValue = count == 0 ? 0 : sum / count;
        return (float)LastValue;
    }

    /// <summary>
    /// The specification: Σ_i w_i [max(z_i, 0) − z_i y_i + log(1 + e^(−|z_i|))] in double, one element
    /// at a time, and g_i = w_i (σ(z_i) − y_i) · <paramref name="scale"/> (w_i = 1 without class weights).
    /// </summary>
    internal static double SumScalar(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> g, double scale, float[]? weights)
    {
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double zi = z[i], yi = y[i];
            double e = Math.Exp(-Math.Abs(zi));
            double w = weights is null ? 1 : (1 - yi) * weights[0] + yi * weights[1];
            sum += (Math.Max(zi, 0) - zi * yi + Math.Log(1 + e)) * w;
            double sigmoid = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
            g[i] = (float)((sigmoid - yi) * w * scale);
        }
        return sum;
    }

    /// <summary>
    /// <see cref="SumScalar"/> without class weights, eight elements at a time in double (the vector
    /// exponential and logarithm, within a few ulps of Math's), summed in four lanes then added in lane
    /// order: a fixed order, so the same bits on every call; the tail runs the scalar loop.
    /// </summary>
    internal static double SumVector(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> g, double scale)
    {
        var acc = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var s = Vector256.Create(scale);
        int i = 0;
        for (; i <= z.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var zf = Vector256.Create(z.Slice(i, Vector256<float>.Count));
            var yf = Vector256.Create(y.Slice(i, Vector256<float>.Count));
            var (zLow, zHigh) = Vector256.Widen(zf);
            var (yLow, yHigh) = Vector256.Widen(yf);
            var (termLow, gLow) = Term(zLow, yLow);
            var (termHigh, gHigh) = Term(zHigh, yHigh);
            acc += termLow + termHigh;
            Vector256.Narrow(gLow * s, gHigh * s).CopyTo(g.Slice(i, Vector256<float>.Count));
        }
        double sum = 0;
        for (int lane = 0; lane < Vector256<double>.Count; lane++) sum += acc[lane];
        return sum + SumScalar(z[i..], y[i..], g[i..], scale, null);

        (Vector256<double> Term, Vector256<double> Gradient) Term(Vector256<double> zi, Vector256<double> yi)
        {
            var e = Vector256.Exp(-Vector256.Abs(zi));
            var term = Vector256.Max(zi, Vector256<double>.Zero) - zi * yi + Vector256.Log(one + e);
            var sigmoid = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(zi, Vector256<double>.Zero), one / (one + e), e / (one + e));
            return (term, sigmoid - yi);
        }
    }

    /// <inheritdoc/>
    public override Tensor Backward() =>
        _gradient ?? throw new InvalidOperationException("BinaryCrossEntropyWithLogits: Backward called before Forward.");
}
