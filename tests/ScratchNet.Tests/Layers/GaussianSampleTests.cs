using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// The reparameterised sampling z = μ + exp(½ log σ²) ⊙ ε and its KL term, against a double reference
/// with the noise ε held fixed (the layer's own draw of the forward pass under test).
/// </summary>
public class GaussianSampleTests
{
    private const int Rows = 4, Latent = 3;

    /// <summary>L = Σ r ⊙ z + KL, both in double, from the flat input (μ, log σ² per row) and fixed ε.</summary>
    private static double Reference(double[] x, double[] r, double[]? eps)
    {
        double sum = 0, kl = 0;
        for (int b = 0; b < Rows; b++)
            for (int j = 0; j < Latent; j++)
            {
                double mu = x[b * 2 * Latent + j], lv = x[b * 2 * Latent + Latent + j];
                double z = eps is null ? mu : mu + Math.Exp(0.5 * lv) * eps[b * Latent + j];
                sum += r[b * Latent + j] * z;
                kl += -0.5 * (1 + lv - mu * mu - Math.Exp(lv));
            }
        return sum + kl / Rows;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BackwardMatchesTheDoubleReferenceWithTheNoiseFixed(bool training)
    {
        var layer = new GaussianSample(Latent);
        layer.Build([2 * Latent], new Rng(5));
        var input = DoubleGradient.Random(21, 1f, Rows, 2 * Latent);
        var z = layer.Forward(input, training);
        double[]? eps = training ? DoubleGradient.ToDouble(layer.Noise!) : null;
        var r = DoubleGradient.Random(22, 1f, Rows, Latent);
        double[] rd = DoubleGradient.ToDouble(r), xd = DoubleGradient.ToDouble(input);

        Assert.Equal(Reference(xd, rd, eps) - Reference(xd, new double[rd.Length], eps), Dot(rd, z), 4);
        Assert.Equal(Reference(xd, new double[rd.Length], eps), layer.AddedLoss, 5);
        var analytic = layer.Backward(r).Clone();
        double error = DoubleGradient.Compare(analytic, xd, () => Reference(xd, rd, eps));
        Assert.True(error < DoubleGradient.Tolerance, $"relative error {error}");
    }

    [Fact]
    public void TheSameCheckFailsWithoutTheKlGradient()
    {
        var layer = new GaussianSample(Latent);
        layer.Build([2 * Latent], new Rng(5));
        var input = DoubleGradient.Random(21, 1f, Rows, 2 * Latent);
        layer.Forward(input, training: true);
        double[] eps = DoubleGradient.ToDouble(layer.Noise!), xd = DoubleGradient.ToDouble(input);
        var r = DoubleGradient.Random(22, 1f, Rows, Latent);
        // The gradient through z alone: what a layer that forgot its added loss would return.
        var throughZ = layer.Backward(r).Clone();
        for (int b = 0; b < Rows; b++)
            for (int j = 0; j < Latent; j++)
            {
                double mu = xd[b * 2 * Latent + j], lv = xd[b * 2 * Latent + Latent + j];
                throughZ[b * 2 * Latent + j] -= (float)(mu / Rows);
                throughZ[b * 2 * Latent + Latent + j] -= (float)(0.5 * (Math.Exp(lv) - 1) / Rows);
            }
        double error = DoubleGradient.Compare(throughZ, xd, () => Reference(xd, DoubleGradient.ToDouble(r), eps));
        Assert.True(error > 0.01, $"relative error {error}");
    }

    [Fact]
    public void KlOfTheStandardNormalIsZeroAndOfAShiftedMeanIsHalfItsSquare()
    {
        var layer = new GaussianSample(2);
        layer.Build([4], new Rng(1));
        var z = layer.Forward(Tensor.FromArray([0, 0, 0, 0, 1, 3, 0, 0], 2, 4), training: false);
        Assert.Equal([0f, 0f, 1f, 3f], z.ToArray()); // at evaluation z = μ
        Assert.Equal((0 + (0.5 * 1 + 0.5 * 9)) / 2.0, layer.AddedLoss, 6);
    }

    [Fact]
    public void TheSameSeedDrawsTheSameNoiseAndAStepDrawsNewNoise()
    {
        Tensor Draw(ulong seed, int times)
        {
            var layer = new GaussianSample(Latent);
            layer.Build([2 * Latent], new Rng(seed));
            Tensor z = null!;
            for (int i = 0; i < times; i++) z = layer.Forward(new Tensor(Rows, 2 * Latent), training: true).Clone();
            return z;
        }
        Assert.Equal(Draw(3, 1).ToArray(), Draw(3, 1).ToArray());
        Assert.NotEqual(Draw(3, 1).ToArray(), Draw(3, 2).ToArray());
        Assert.NotEqual(Draw(3, 1).ToArray(), Draw(4, 1).ToArray());
    }

    [Fact]
    public void RefusesAnInputThatIsNotMeanAndLogVariance() =>
        Assert.Contains("2 × 3 values", Assert.Throws<ArgumentException>(() => new GaussianSample(3).OutputShape([5])).Message);

    /// <summary>
    /// The model-level check of a small VAE (encoder, sampling, decoder) under the per-image binary
    /// cross-entropy: the loss it checks includes the KL term the sampling layer adds.
    /// </summary>
    [Fact]
    public void AVariationalAutoencoderPassesTheModelGradientCheck()
    {
        var model = new Sequential(new Dense(5), new Tanh(), new Dense(4), new GaussianSample(2), new Dense(5), new Tanh(), new Dense(6)).Build([6], 3);
        var x = DoubleGradient.Random(31, 1f, 3, 6);
        var target = new Tensor(3, 6);
        for (int i = 0; i < target.Length; i++) target[i] = x[i] > 0 ? 1f : 0f;
        var result = GradientCheck.Run(model, new BinaryCrossEntropyWithLogits(sumPerSample: true), x, target,
            new GradientCheckOptions { Training = true });
        Assert.True(result.Passed, result.ToString());
        Assert.True(model.AddedLoss() > 0);
    }

    private static double Dot(double[] r, Tensor z)
    {
        double s = 0;
        for (int i = 0; i < r.Length; i++) s += r[i] * z[i];
        return s;
    }
}
