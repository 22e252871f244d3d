using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Tests.Layers;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Models;

/// <summary>The public float32 <see cref="GradientCheck"/>: passes on correct models, fails on planted bugs.</summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    private static Tensor Classes(int n, int classes) => Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)(i * 7 % classes)).ToArray(), n);

    [Fact]
    public void PassesOnASmoothClassifier()
    {
        var model = new Sequential(new Dense(6), new Tanh(), new Dense(5, new HeNormal()), new GELU(), new Dense(3)).Build([4], 1);
        var result = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(2, 1f, 8, 4), Classes(8, 3));
        output.WriteLine(result.Report());
        Assert.True(result.Passed, result.Report());
        Assert.Equal(["0.Dense.weight", "0.Dense.bias", "2.Dense.weight", "2.Dense.bias", "4.Dense.weight", "4.Dense.bias", "input"],
            result.Entries.Select(e => e.Name));
        Assert.True(result.MaxRelativeError < 1e-2, result.Report());
    }

    [Fact]
    public void PassesOnRegressionWithSigmoidEluAndSoftmax()
    {
        var model = new Sequential(new Dense(5), new Sigmoid(), new Dense(4), new ELU(), new Dense(3), new Softmax()).Build([3], 2);
        var result = GradientCheck.Run(model, new MeanSquaredError(), DoubleGradient.Random(3, 1f, 6, 3), DoubleGradient.Random(4, 0.3f, 6, 3));
        output.WriteLine(result.Report());
        Assert.True(result.Passed, result.Report());
    }

    [Fact]
    public void PassesWithBatchNormAndDropoutInTraining()
    {
        var model = new Sequential(new Dense(6), new BatchNorm(), new Tanh(), new Dropout(0.3f), new Dense(2)).Build([4], 3);
        var runningMean = model.Layers[1].Buffers[0].Value.Clone();
        var dropoutState = ((Dropout)model.Layers[3]).Rng.GetState();
        var result = GradientCheck.Run(model, new BinaryCrossEntropyWithLogits(), DoubleGradient.Random(5, 1f, 8, 4),
            Tensor.FromArray(Enumerable.Range(0, 16).Select(i => (float)(i % 2)).ToArray(), 8, 2));
        output.WriteLine(result.Report());
        Assert.True(result.Passed, result.Report());
        Assert.Equal(runningMean.ToArray(), model.Layers[1].Buffers[0].Value.ToArray());
        Assert.Equal(dropoutState, ((Dropout)model.Layers[3]).Rng.GetState());
    }

    [Theory]
    [InlineData(Bug.DoubleWeightGradient, "0.BuggyDense.weight")]
    [InlineData(Bug.DropBiasGradient, "0.BuggyDense.bias")]
    [InlineData(Bug.HalveInputGradient, "input")]
    public void FailsOnAPlantedBug(Bug bug, string culprit)
    {
        var model = new Sequential(new BuggyLayer(new Dense(6), bug), new Tanh(), new Dense(3)).Build([4], 1);
        var result = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(2, 1f, 8, 4), Classes(8, 3));
        output.WriteLine(result.Report());
        Assert.False(result.Passed, result.Report());
        Assert.True(result[culprit].MaxRelativeError > 0.3, result.Report());
        Assert.Contains("FAIL", result.Report());
    }

    [Fact]
    public void FailsOnASigmoidWithTheWrongDerivative()
    {
        var model = new Sequential(new Dense(6), new SigmoidMissingFactor(), new Dense(3)).Build([4], 1);
        var result = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(2, 1f, 8, 4), Classes(8, 3));
        output.WriteLine(result.Report());
        Assert.False(result.Passed, result.Report());
        Assert.True(result["0.Dense.weight"].MaxRelativeError > 0.3, result.Report());
    }

    [Fact]
    public void FailsOnBatchNormWithoutTheStatisticTerms()
    {
        var model = new Sequential(new Dense(5), new BatchNormWithoutStatisticTerms(new BatchNorm()), new Tanh(), new Dense(3)).Build([4], 1);
        var result = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(2, 1f, 8, 4), Classes(8, 3));
        output.WriteLine(result.Report());
        Assert.False(result.Passed, result.Report());
    }

    [Fact]
    public void SamplesLargeTensorsDeterministically()
    {
        var model = new Sequential(new Dense(40), new Tanh(), new Dense(3)).Build([30], 1);
        var options = new GradientCheckOptions { MaxEntriesPerTensor = 10 };
        var a = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(2, 1f, 4, 30), Classes(4, 3), options);
        var b = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(2, 1f, 4, 30), Classes(4, 3), options);
        Assert.Equal(10, a["0.Dense.weight"].Checked);
        Assert.Equal(1200, a["0.Dense.weight"].Total);
        Assert.Equal(a.Entries, b.Entries);
        Assert.True(a.Passed, a.Report());
    }

    [Fact]
    public void RefusesAnUnbuiltModel() =>
        Assert.Contains("not built", Assert.Throws<InvalidOperationException>(() =>
            GradientCheck.Run(new Sequential(new Dense(2)), new MeanSquaredError(), new Tensor(1, 2), new Tensor(1, 2))).Message);
}
