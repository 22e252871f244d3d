using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>The double-precision gradient check must FAIL on each planted bug (and pass without it).</summary>
public class PlantedBugTests
{
    private static DoubleGradient.Result CheckDense(Layer layer)
    {
        layer.Build([4], new Rng(5));
        var bias = layer.Parameters.Single(p => p.Name == "bias");
        DoubleGradient.Random(2, 0.5f, 3).CopyTo(bias.Value);
        var x = DoubleGradient.Random(1, 1f, 5, 4);
        return DoubleGradient.CheckLayer(layer, x, (xd, p) => Reference.Dense(xd, p[0], p[1], 5, 4, 3));
    }

    [Theory]
    [InlineData(Bug.DoubleWeightGradient, "weight")]
    [InlineData(Bug.DropBiasGradient, "bias")]
    [InlineData(Bug.DoubleInputGradient, "input")]
    [InlineData(Bug.HalveInputGradient, "input")]
    public void DenseBugIsCaughtInTheRightTensor(Bug bug, string culprit)
    {
        var r = CheckDense(new BuggyLayer(new Dense(3, new XavierNormal()), bug));
        Assert.True(r.Errors[culprit] > 0.3, $"{bug} not caught: {r}");
        foreach (var (name, error) in r.Errors.Where(e => e.Key != culprit))
            Assert.True(error < DoubleGradient.Tolerance, $"{name} should still pass: {r}");
    }

    [Fact]
    public void CorrectDensePassesTheSameCheck()
    {
        var r = CheckDense(new Dense(3, new XavierNormal()));
        Assert.True(r.Max < DoubleGradient.Tolerance, r.ToString());
    }

    [Fact]
    public void SigmoidWithWrongDerivativeIsCaught()
    {
        var layer = new SigmoidMissingFactor();
        layer.Build([6], new Rng(1));
        var x = DoubleGradient.Random(3, 1.5f, 4, 6);
        var r = DoubleGradient.CheckLayer(layer, x, (xd, _) => Reference.Map(xd, Reference.Sigmoid));
        Assert.True(r.ForwardError < 1e-6, "the forward pass is right");
        Assert.True(r.Errors["input"] > 0.3, r.ToString());
    }

    [Fact]
    public void BatchNormWithoutMeanAndVarianceTermsIsCaught()
    {
        var inner = new BatchNorm();
        var layer = new BatchNormWithoutStatisticTerms(inner);
        layer.Build([3], new Rng(1));
        var x = DoubleGradient.Random(8, 2f, 6, 3);
        var r = DoubleGradient.CheckLayer(layer, x, (xd, p) => Reference.BatchNormTrain(xd, p[0], p[1], 6, 3, 1e-5));
        Assert.True(r.Errors["gamma"] < DoubleGradient.Tolerance && r.Errors["beta"] < DoubleGradient.Tolerance, r.ToString());
        Assert.True(r.Errors["input"] > 0.3, r.ToString());
    }
}
