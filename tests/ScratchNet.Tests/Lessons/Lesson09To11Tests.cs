using ScratchNet.Layers;
using ScratchNet.Lessons;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson09To11Tests
{
    [Fact]
    public void Lesson09_AdaptiveOptimizersAndMomentumBeatPlainSgd()
    {
        var r = Lesson09Optimizers.Run(LessonTestContext.Create());
        var f = r.FinalLoss;
        Assert.True(f["Momentum"] < f["SGD"] / 2, $"Momentum {f["Momentum"]} vs SGD {f["SGD"]}");
        Assert.True(f["Adam"] < f["SGD"] / 5);
        Assert.True(f["RMSprop"] < f["SGD"] / 5);
        foreach (var losses in r.Losses.Values) Assert.Equal(Lesson09Optimizers.Steps, losses.Length);
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("Momentum")]
    [InlineData("RMSprop")]
    [InlineData("Adam")]
    public void Lesson09_UpdateRulesMatchTheLibraryOptimizers(string name)
    {
        var rng = new Rng(9);
        const int size = 7;
        const double learningRate = 0.01;
        var theta = Enumerable.Range(0, size).Select(_ => rng.NextGaussian()).ToArray();
        var parameter = new Parameter("p", Tensor.FromArray(theta.Select(v => (float)v).ToArray(), size));
        Optimizer library = name switch
        {
            "SGD" => new Sgd((float)learningRate),
            "Momentum" => new Momentum((float)learningRate, 0.9f),
            "RMSprop" => new RmsProp((float)learningRate, rho: 0.99f, epsilon: 1e-8f),
            _ => new Adam((float)learningRate, 0.9f, 0.999f, 1e-8f),
        };
        var first = new double[size];
        var second = new double[size];
        for (int t = 1; t <= 6; t++)
        {
            var g = Enumerable.Range(0, size).Select(_ => rng.NextGaussian()).ToArray();
            for (int k = 0; k < size; k++) parameter.Gradient[k] = (float)g[k];
            library.Step([parameter]);
            switch (name)
            {
                case "SGD": Lesson09Optimizers.SgdStep(theta, g, learningRate); break;
                case "Momentum": Lesson09Optimizers.MomentumStep(theta, g, first, learningRate, 0.9); break;
                case "RMSprop": Lesson09Optimizers.RmsPropStep(theta, g, second, learningRate, 0.99, 1e-8); break;
                default: Lesson09Optimizers.AdamStep(theta, g, first, second, t, learningRate, 0.9, 0.999, 1e-8); break;
            }
        }
        for (int k = 0; k < size; k++) Assert.Equal(theta[k], parameter.Value[k], 5);
    }

    [Fact]
    public void Lesson10_OverfittingAndEachRemedy()
    {
        var r = Lesson10Regularisation.Run(LessonTestContext.Create());
        Assert.True(r.BaselineTrainLoss < 0.01, $"baseline training loss {r.BaselineTrainLoss}");
        Assert.True(r.BaselineValidationLoss > 2 * r.BaselineBestValidationLoss, "the baseline should overfit");
        Assert.True(r.L2ValidationLoss < r.BaselineValidationLoss / 2, $"L2 {r.L2ValidationLoss}");
        Assert.True(r.DropoutValidationLoss < r.BaselineValidationLoss, $"dropout {r.DropoutValidationLoss}");
        Assert.True(r.EarlyStoppingValidationLoss < r.BaselineValidationLoss / 2);
        Assert.InRange(r.EarlyStoppingStep, 1, Lesson10Regularisation.Steps / 2);
    }

    [Fact]
    public void Lesson11_VanishExplodeAndTheFixes()
    {
        var r = Lesson11InitialisationBatchNorm.Run(LessonTestContext.Create());
        double Last(string key) => r.ActivationStd.Single(kv => kv.Key.StartsWith(key, StringComparison.Ordinal)).Value[^1];
        Assert.True(Last("N(0, 0.01²):") < 1e-8);
        Assert.True(Last("N(0, 0.2²)") > 10);
        Assert.True(Last("Xavier") < 0.1);
        Assert.InRange(Last("He"), 0.4, 2.0);
        Assert.InRange(Last("N(0, 0.01²) + batch norm"), 0.5, 0.7);   // std of relu(N(0, 1)) = 0.584
        var heGradients = r.GradientStd.Single(kv => kv.Key.StartsWith("He", StringComparison.Ordinal)).Value;
        Assert.All(heGradients, g => Assert.InRange(g, 0.3, 3.0));
    }

    [Fact]
    public void Lesson11_BatchNormBackwardMatchesNumericalGradient()
    {
        // L = Σ G ⊙ normalise(z): check dL/dz from NormaliseBackward by central differences.
        int rows = 5, cols = 3;
        var rng = new Rng(111);
        var z = Enumerable.Range(0, rows * cols).Select(_ => rng.NextGaussian()).ToArray();
        var G = Enumerable.Range(0, rows * cols).Select(_ => rng.NextGaussian()).ToArray();
        double Loss(double[] input)
        {
            var copy = (double[])input.Clone();
            Lesson11InitialisationBatchNorm.Normalise(copy, rows, cols);
            return copy.Select((v, k) => v * G[k]).Sum();
        }
        var zHat = (double[])z.Clone();
        var inverseStd = Lesson11InitialisationBatchNorm.Normalise(zHat, rows, cols);
        var grad = (double[])G.Clone();
        Lesson11InitialisationBatchNorm.NormaliseBackward(grad, zHat, inverseStd, rows, cols);
        for (int k = 0; k < z.Length; k++)
        {
            var up = (double[])z.Clone(); up[k] += 1e-6;
            var down = (double[])z.Clone(); down[k] -= 1e-6;
            Assert.Equal((Loss(up) - Loss(down)) / 2e-6, grad[k], 6);
        }
    }
}
