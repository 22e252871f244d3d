using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The reparameterised sampling of a variational autoencoder, with its KL term. The input row holds
/// μ (the first D values) and log σ² (the next D); the output is z = μ + σ ⊙ ε with ε ~ N(0, I) and
/// σ = exp(½ log σ²), so the draw is a differentiable function of μ and log σ². It adds to the loss
/// (<see cref="IAddedLoss"/>) the KL divergence of q(z|x) = N(μ, σ²) from the prior N(0, I), summed
/// over the D latent values and averaged over the batch's B rows:
/// <code>
/// KL = −½ Σⱼ (1 + log σ²ⱼ − μⱼ² − σ²ⱼ)                        (per row)
/// dL/dμ      = dL/dz + μ / B
/// dL/dlog σ² = dL/dz ⊙ ε ⊙ ½σ + ½(σ² − 1) / B
/// </code>
/// </summary>
/// <remarks>
/// ε comes from the layer's own <see cref="Rng"/>, forked from the build generator, one draw per value
/// in row-major order, so the same seed gives the same draws at any thread count and a checkpoint
/// resumes them (<see cref="IStochasticLayer"/>). At evaluation (training false) z = μ: evaluate and
/// predict are then functions of the input alone, the reported loss does not depend on where a
/// generator stands, and the code of an image is its mean, which the pictures of the latent space show.
/// The KL term is computed in both modes, so the evaluated loss is reconstruction(μ) + KL.
/// </remarks>
public sealed class GaussianSample : Layer, IStochasticLayer, IAddedLoss
{
    private Rng? _rng;
    private Tensor? _output, _noise, _gradInput, _lastInput;
    private bool _sampled;

    /// <summary>A sampling layer for <paramref name="latent"/> = D latent values (its input has 2D: μ, then log σ²).</summary>
    public GaussianSample(int latent)
    {
        if (latent < 1 || latent > Limits.MaxLayerWidth)
            throw new ArgumentOutOfRangeException(nameof(latent), $"GaussianSample: the latent size must be in [1, {Limits.MaxLayerWidth}] (got {latent}).");
        Latent = latent;
    }

    /// <summary>D, the values of z per sample.</summary>
    public int Latent { get; }

    /// <summary>The layer's generator for ε.</summary>
    public Rng Rng => _rng ?? throw new InvalidOperationException($"{this}: not built yet, so it has no generator.");

    /// <summary>ε of the last training forward pass, shape (batch, D); null before one.</summary>
    public Tensor? Noise => _noise;

    /// <inheritdoc/>
    public double AddedLoss { get; private set; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new("GaussianSample", new Dictionary<string, string> { ["latent"] = Latent.ToString(CultureInfo.InvariantCulture) });

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape is not [int width] || width != 2 * Latent)
            throw new ArgumentException($"GaussianSample: takes a vector of 2 × {Latent} values (μ, then log σ²), not {Tensor.FormatShape(inputShape)}.");
        return [Latent];
    }

    /// <inheritdoc/>
    public override LayerCost Cost(int[] inputShape) => new(0, Latent, 8L * Latent);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        OutputShape(inputShape);
        _rng = rng.Fork();
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        int rows = input.Dim(0), d = Latent;
        var z = EnsureBuffer(ref _output, rows, [d]);
        ReadOnlySpan<float> x = input.Span;
        var zs = z.Span;
        _sampled = training;
        Span<float> eps = default;
        if (training)
        {
            eps = EnsureBuffer(ref _noise, rows, [d]).Span;
            Rng.FillGaussian(eps);
        }
        double kl = 0;
        for (int r = 0; r < rows; r++)
        {
            var mu = x.Slice(r * 2 * d, d);
            var logVar = x.Slice(r * 2 * d + d, d);
            var zr = zs.Slice(r * d, d);
            for (int j = 0; j < d; j++)
            {
                double m = mu[j], lv = logVar[j], variance = Math.Exp(lv);
                kl += 1 + lv - m * m - variance;
                zr[j] = training ? (float)(m + Math.Exp(0.5 * lv) * eps[r * d + j]) : (float)m;
            }
        }
        AddedLoss = rows == 0 ? 0 : -0.5 * kl / rows;
        _lastInput = input;
        return z;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var input = _lastInput!;
        int rows = input.Dim(0), d = Latent;
        var dx = EnsureBufferLike(ref _gradInput, input);
        ReadOnlySpan<float> x = input.Span, dz = gradOutput.Span;
        ReadOnlySpan<float> eps = _sampled ? _noise!.Span : default;
        var g = dx.Span;
        double perRow = 1.0 / rows;
        for (int r = 0; r < rows; r++)
        {
            int o = r * 2 * d;
            for (int j = 0; j < d; j++)
            {
                double m = x[o + j], lv = x[o + d + j], up = dz[r * d + j];
                g[o + j] = (float)(up + m * perRow);
                double throughZ = _sampled ? up * eps[r * d + j] * 0.5 * Math.Exp(0.5 * lv) : 0;
                g[o + d + j] = (float)(throughZ + 0.5 * (Math.Exp(lv) - 1) * perRow);
            }
        }
        return dx;
    }
}
