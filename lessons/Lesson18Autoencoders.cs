using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Lessons.Drawing;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 18. From an autoencoder to a variational autoencoder: a network that squeezes an image
/// through a small code and rebuilds it learns codes that follow no law, so a random code decodes to
/// nothing; a VAE encodes each image as a distribution N(μ, σ²), samples z = μ + σ·ε from it (the
/// reparameterisation, through which gradients flow), and pays KL(N(μ, σ²) ‖ N(0, 1)) for straying
/// from the prior, so that z ~ N(0, 1) decodes to a digit.
/// </summary>
public static class Lesson18Autoencoders
{
    /// <summary>
    /// The reparameterised gradient against the exact one, the KL term sampled against its closed
    /// form, and where the codes of a plain autoencoder and of a VAE lie.
    /// </summary>
    public sealed record Result(double GradientMu, double ExactGradientMu, double GradientLogVar, double ExactGradientLogVar,
        double SampledKl, double ClosedFormKl, double AutoencoderCodeMean, double AutoencoderCodeSpread,
        double VaeCodeMean, double VaeCodeSpread, double AutoencoderLoss, double VaeLoss);

    public const int Images = 1000, Hidden = 64, Epochs = 8;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var rng = new Rng(18);

        // 1. The reparameterisation: z ~ N(μ, σ²) written as z = μ + σ ε with ε ~ N(0, 1), so the draw is
        // a function of μ and log σ² and the chain rule goes through it. For f(z) = z², E[f] = μ² + σ²,
        // so dE/dμ = 2μ and dE/dlog σ² = σ². The average of the sampled gradients f'(z) dz/dθ agrees:
        // dz/dμ = 1, dz/dlog σ² = ½ σ ε.
        const double mu = 0.8, logVar = -0.5;
        double sigma = Math.Exp(0.5 * logVar), gMu = 0, gLogVar = 0;
        const int draws = 200_000;
        for (int i = 0; i < draws; i++)
        {
            double eps = rng.NextGaussian(), z = mu + sigma * eps;
            gMu += 2 * z / draws;
            gLogVar += 2 * z * 0.5 * sigma * eps / draws;
        }
        o.WriteLine($"1. d E[z²] / dμ: {gMu:F4} sampled, {2 * mu:F4} exact; d E[z²] / dlog σ²: {gLogVar:F4} sampled, {sigma * sigma:F4} exact");

        // 2. The price of a code: KL(q ‖ p) = E_q[log q(z) − log p(z)], sampled, and its closed form
        // −½ (1 + log σ² − μ² − σ²) for q = N(μ, σ²), p = N(0, 1).
        double sampledKl = 0;
        for (int i = 0; i < draws; i++)
        {
            double z = mu + sigma * rng.NextGaussian();
            sampledKl += (LogNormal(z, mu, sigma) - LogNormal(z, 0, 1)) / draws;
        }
        double closedKl = Kl(mu, logVar);
        o.WriteLine($"2. KL(N({mu}, {sigma * sigma:F3}) ‖ N(0, 1)): {sampledKl:F4} sampled, {closedKl:F4} closed form");

        // 3. A plain autoencoder and a VAE with 2-value codes on the same images, trained alike; where do
        // their codes lie? The VAE's, pulled by the KL term, towards N(0, 1); the plain one's anywhere.
        var mnist = ctx.Datasets.Load("mnist").Train;
        var data = new ReconstructionDataset(new SubsetDataset("mnist[:1000]", mnist, Enumerable.Range(0, Images).ToArray()));
        var (x, labels) = data.Source.Take(Images);
        var (aeCodes, aeLoss) = TrainAndEncode(data, x, variational: false);
        var (vaeCodes, vaeLoss) = TrainAndEncode(data, x, variational: true);
        var (aeMean, aeSpread) = MeanAndSpread(aeCodes);
        var (vaeMean, vaeSpread) = MeanAndSpread(vaeCodes);
        o.WriteLine($"3. after {Epochs} epochs on {Images} digits: the autoencoder's codes have mean {aeMean:F2} and spread {aeSpread:F2} (reconstruction {aeLoss:F1} per image),");
        o.WriteLine($"   the VAE's mean {vaeMean:F2} and spread {vaeSpread:F2} (reconstruction + KL {vaeLoss:F1}): far closer to N(0, 1), whose draws its decoder can take");

        if (ctx.DrawPictures)
        {
            Series[] ByDigit(float[,] codes) => Enumerable.Range(0, 10).Select(d =>
            {
                var rows = Enumerable.Range(0, Images).Where(i => (int)labels[i] == d).ToArray();
                return new Series(d.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.Select(i => (double)codes[i, 0]).ToArray(),
                    rows.Select(i => (double)codes[i, 1]).ToArray(), SeriesStyle.Dots);
            }).ToArray();
            Pictures.Draw(ctx.PicturePath("lesson18-codes.svg"),
                new Chart("Autoencoder codes", "z₁", "z₂", ByDigit(aeCodes)),
                new Chart("VAE codes (μ)", "z₁", "z₂", ByDigit(vaeCodes)));
        }
        return new Result(gMu, 2 * mu, gLogVar, sigma * sigma, sampledKl, closedKl, aeMean, aeSpread, vaeMean, vaeSpread, aeLoss, vaeLoss);
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, 1)) = −½ (1 + log σ² − μ² − σ²) for one latent value.</summary>
    public static double Kl(double mu, double logVar) => -0.5 * (1 + logVar - mu * mu - Math.Exp(logVar));

    /// <summary>dKL/dμ = μ and dKL/dlog σ² = ½ (σ² − 1).</summary>
    public static (double Mu, double LogVar) KlGradient(double mu, double logVar) => (mu, 0.5 * (Math.Exp(logVar) - 1));

    private static double LogNormal(double z, double mean, double sd) =>
        -0.5 * Math.Log(2 * Math.PI) - Math.Log(sd) - (z - mean) * (z - mean) / (2 * sd * sd);

    /// <summary>784-64-2-64-784 (with μ, log σ² and a <see cref="GaussianSample"/> for the VAE); returns the codes of <paramref name="x"/> and the last test-free loss on the training images.</summary>
    private static (float[,] Codes, double Loss) TrainAndEncode(Dataset data, Tensors.Tensor x, bool variational)
    {
        var layers = new List<Layer> { new Dense(Hidden), new ReLU(), new Dense(variational ? 4 : 2) };
        if (variational) layers.Add(new GaussianSample(2));
        int decoder = layers.Count;
        layers.AddRange([new Dense(Hidden), new ReLU(), new Dense(784)]);
        var model = new Sequential(layers.ToArray());
        var loss = new BinaryCrossEntropyWithLogits(sumPerSample: true);
        new Trainer(model, new TrainerOptions { Loss = loss, Optimizer = new Adam(2e-3f), Epochs = Epochs, BatchSize = 32, Seed = 18 }).Fit(data);
        var generator = new ImageGenerator(model, new Serialization.GeneratorSpec(2, [1, 28, 28], $"layers.{decoder}", "logits", variational ? "normal" : "none"));
        var codes = generator.Encode(x);
        var result = new float[Images, 2];
        for (int i = 0; i < Images; i++) { result[i, 0] = codes[i * 2]; result[i, 1] = codes[i * 2 + 1]; }
        return (result, Evaluation.Evaluate(model, data, loss).Loss);
    }

    /// <summary>The mean of all code values and their root-mean-square distance from it.</summary>
    private static (double Mean, double Spread) MeanAndSpread(float[,] codes)
    {
        double mean = 0;
        foreach (float v in codes) mean += v / (double)codes.Length;
        double ss = 0;
        foreach (float v in codes) ss += (v - mean) * (v - mean) / codes.Length;
        return (mean, Math.Sqrt(ss));
    }
}
