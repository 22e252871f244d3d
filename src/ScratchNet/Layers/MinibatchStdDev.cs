using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The minibatch standard deviation feature of Karras et al. (2018), for a discriminator: the batch's
/// rows are taken in groups of G consecutive rows (the last group may be smaller), and each row of a
/// group g of n rows gets one more feature, the group's mean standard deviation over the F features:
/// <code>
/// μ_f = (1/n) Σ_{b∈g} x_bf      σ_f = √((1/n) Σ_{b∈g} (x_bf − μ_f)² + ε)      s_g = (1/F) Σ_f σ_f
/// y_b = [x_b, s_g]                                                             (F + 1 values)
/// </code>
/// A generator that draws the same image again and again gives groups of small s, which the
/// discriminator can learn to call generated: this pushes the generator towards variety.
/// Backward: the Σ(x − μ) = 0 term of ∂μ vanishes, so with g_s = Σ_{b∈g} ∂L/∂y_{b,F},
/// <code>
/// ∂L/∂x_bf = ∂L/∂y_bf + g_s · (x_bf − μ_f) / (n F σ_f)
/// </code>
/// </summary>
/// <remarks>
/// Inference computes the same feature over the batch it is given (the layer has no running
/// statistics). Feed it batches whose groups do not mix kinds: a GAN's joint batch [x; x̂] of 2B rows
/// keeps real and generated rows apart when G divides B. Flat samples only (F values each).
/// </remarks>
public sealed class MinibatchStdDev : Layer
{
    private Tensor? _output, _gradInput, _lastOutput, _input;
    private double[] _sigma = [];

    /// <summary>A minibatch standard deviation feature over groups of <paramref name="groupSize"/> rows (at least 2) with ε = <paramref name="epsilon"/>.</summary>
    public MinibatchStdDev(int groupSize = 4, float epsilon = 1e-8f)
    {
        if (groupSize < 2 || groupSize > Limits.MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(groupSize), $"MinibatchStdDev: the group size must be in [2, {Limits.MaxBatchSize}] (got {groupSize}).");
        if (!(epsilon > 0 && float.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"MinibatchStdDev: ε must be positive (got {epsilon}).");
        GroupSize = groupSize;
        Epsilon = epsilon;
    }

    /// <summary>G, the rows per group.</summary>
    public int GroupSize { get; }

    /// <summary>ε under the square root.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("MinibatchStdDev", new Dictionary<string, string>
    {
        ["groupSize"] = GroupSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["epsilon"] = SpecText.Float(Epsilon),
    });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape) => inputShape is [int f]
        ? [f + 1]
        : throw new ArgumentException($"MinibatchStdDev takes flat samples, not {Tensor.FormatShape(inputShape)}.");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int batch = input.Dim(0), f = InputShape[0];
        var y = EnsureBuffer(ref _output, batch, [f + 1]);
        if (_sigma.Length < batch * f) _sigma = new double[batch * f];
        ReadOnlySpan<float> x = input.Span;
        var ys = y.Span;
        for (int start = 0; start < batch; start += GroupSize)
        {
            int n = Math.Min(GroupSize, batch - start);
            double s = 0;
            for (int j = 0; j < f; j++)
            {
                double mean = 0;
                for (int b = start; b < start + n; b++) mean += x[b * f + j];
                mean /= n;
                double variance = 0;
                for (int b = start; b < start + n; b++)
                {
                    double d = x[b * f + j] - mean;
                    variance += d * d;
                }
                double sigma = Math.Sqrt(variance / n + Epsilon);
                _sigma[start * f + j] = sigma; // the group's σ_f, kept at its first row
                s += sigma;
            }
            float feature = (float)(s / f);
            for (int b = start; b < start + n; b++)
            {
                x.Slice(b * f, f).CopyTo(ys.Slice(b * (f + 1), f));
                ys[b * (f + 1) + f] = feature;
            }
        }
        _input = input;
        _lastOutput = y;
        return y;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _lastOutput);
        int batch = gradOutput.Dim(0), f = InputShape[0];
        var dx = EnsureBuffer(ref _gradInput, batch, [f]);
        ReadOnlySpan<float> g = gradOutput.Span, x = _input!.Span;
        var d = dx.Span;
        for (int start = 0; start < batch; start += GroupSize)
        {
            int n = Math.Min(GroupSize, batch - start);
            double gs = 0;
            for (int b = start; b < start + n; b++) gs += g[b * (f + 1) + f];
            for (int j = 0; j < f; j++)
            {
                double mean = 0;
                for (int b = start; b < start + n; b++) mean += x[b * f + j];
                mean /= n;
                double scale = gs / (n * f * _sigma[start * f + j]);
                for (int b = start; b < start + n; b++)
                    d[b * f + j] = (float)(g[b * (f + 1) + j] + scale * (x[b * f + j] - mean));
            }
        }
        return dx;
    }
}
