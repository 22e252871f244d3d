using ScratchNet.Layers;
using ScratchNet.Lessons;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson18Tests
{
    [Fact]
    public void AutoencoderLessonShowsTheReparameterisationTheKlAndWhereTheCodesLie()
    {
        var r = Lesson18Autoencoders.Run(LessonTestContext.Create());
        Assert.InRange(r.GradientMu - r.ExactGradientMu, -0.02, 0.02);
        Assert.InRange(r.GradientLogVar - r.ExactGradientLogVar, -0.02, 0.02);
        Assert.InRange(r.SampledKl - r.ClosedFormKl, -0.01, 0.01);
        // The KL term pulls the VAE's codes towards N(0, 1): mean 0 and spread 1, far closer than the plain autoencoder's.
        double Distance(double mean, double spread) => Math.Abs(mean) + Math.Abs(spread - 1);
        Assert.True(Distance(r.VaeCodeMean, r.VaeCodeSpread) < 0.3 * Distance(r.AutoencoderCodeMean, r.AutoencoderCodeSpread),
            $"VAE codes {r.VaeCodeMean:F2} ± {r.VaeCodeSpread:F2}, autoencoder's {r.AutoencoderCodeMean:F2} ± {r.AutoencoderCodeSpread:F2}");
        Assert.True(r.AutoencoderLoss < r.VaeLoss, $"{r.AutoencoderLoss} vs {r.VaeLoss}"); // the KL term costs reconstruction
    }

    /// <summary>The lesson's KL and its gradient are the library's GaussianSample term (at evaluation, z = μ).</summary>
    [Fact]
    public void TheLessonsKlIsTheLibrarysGaussianSampleTerm()
    {
        float[] mu = [0.8f, -0.3f, 1.5f], logVar = [-0.5f, 0.4f, 0f];
        var layer = new GaussianSample(3);
        layer.Build([6], new Rng(1));
        layer.Forward(Tensor.FromArray([.. mu, .. logVar], 1, 6), training: false);
        Assert.Equal(Enumerable.Range(0, 3).Sum(j => Lesson18Autoencoders.Kl(mu[j], logVar[j])), layer.AddedLoss, 6);
        var g = layer.Backward(new Tensor(1, 3));
        for (int j = 0; j < 3; j++)
        {
            var (dMu, dLogVar) = Lesson18Autoencoders.KlGradient(mu[j], logVar[j]);
            Assert.Equal(dMu, g[j], 5);
            Assert.Equal(dLogVar, g[3 + j], 5);
        }
    }
}
