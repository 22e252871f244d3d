using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>Every layer's backward pass against central differences of a double-precision reference forward.</summary>
public class LayerGradientTests
{
    private static T Built<T>(T layer, params int[] inputShape) where T : Layer
    {
        layer.Build(inputShape, new Rng(5));
        return layer;
    }

    private static void AssertPasses(DoubleGradient.Result r)
    {
        Assert.True(r.ForwardError < 1e-5, $"forward disagrees with the reference: {r}");
        Assert.True(r.Max < DoubleGradient.Tolerance, r.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dense(bool useBias)
    {
        var layer = Built(new Dense(3, new XavierNormal(), useBias), 4);
        if (useBias) DoubleGradient.Random(2, 0.5f, 3).CopyTo(layer.Bias!.Value);
        var x = DoubleGradient.Random(1, 1f, 5, 4);
        var r = DoubleGradient.CheckLayer(layer, x, (xd, p) => Reference.Dense(xd, p[0], useBias ? p[1] : null, 5, 4, 3));
        AssertPasses(r);
        Assert.Equal(useBias ? 3 : 2, r.Errors.Count);
    }

    public static TheoryData<string> ActivationNames => ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "GELU", "Step"];

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void ElementwiseActivation(string name)
    {
        (Layer layer, Func<double, double> f) = name switch
        {
            "Identity" => ((Layer)new Identity(), (Func<double, double>)(v => v)),
            "Sigmoid" => (new Sigmoid(), Reference.Sigmoid),
            "Tanh" => (new Tanh(), Math.Tanh),
            "ReLU" => (new ReLU(), v => Math.Max(v, 0)),
            "LeakyReLU" => (new LeakyReLU(0.1f), v => v > 0 ? v : 0.1 * v),
            "ELU" => (new ELU(0.7f), v => v > 0 ? v : 0.7 * (Math.Exp(v) - 1)),
            "GELU" => (new GELU(), Reference.Gelu),
            "Step" => (new Step(), v => v > 0 ? 1 : 0),
            _ => throw new ArgumentException(name),
        };
        Built(layer, 7);
        // Away from 0 so that no central difference straddles the kink of ReLU, LeakyReLU, ELU and Step.
        // 37 elements: exercises the vector body and the scalar remainder.
        var x = DoubleGradient.RandomAwayFromZero(3, 1.5f, 0.05f, 5, 7);
        var r = DoubleGradient.CheckLayer(layer, x, (xd, _) => Reference.Map(xd, f));
        AssertPasses(r);
    }

    [Fact]
    public void Softmax()
    {
        var layer = Built(new Softmax(), 6);
        var x = DoubleGradient.Random(4, 2f, 3, 6);
        AssertPasses(DoubleGradient.CheckLayer(layer, x, (xd, _) => Reference.SoftmaxRows(xd, 3, 6)));
    }

    [Fact]
    public void BatchNormTrainingIncludesMeanAndVarianceTerms()
    {
        var layer = Built(new BatchNorm(epsilon: 1e-3f), 4);
        DoubleGradient.Random(6, 0.5f, 4).CopyTo(layer.Beta.Value);
        var g = DoubleGradient.Random(7, 0.5f, 4);
        for (int j = 0; j < 4; j++) layer.Gamma.Value[j] = 1f + g[j];
        var x = DoubleGradient.Random(8, 2f, 6, 4);
        for (int i = 0; i < x.Length; i++) x[i] += 0.5f * (i % 4);
        var r = DoubleGradient.CheckLayer(layer, x, (xd, p) => Reference.BatchNormTrain(xd, p[0], p[1], 6, 4, 1e-3), training: true);
        AssertPasses(r);
    }

    [Fact]
    public void BatchNormInferenceUsesRunningStatistics()
    {
        var layer = Built(new BatchNorm(momentum: 0.5f), 3);
        for (int s = 0; s < 3; s++) layer.Forward(DoubleGradient.Random(20 + (ulong)s, 3f, 8, 3), training: true);
        var mean = DoubleGradient.ToDouble(layer.RunningMean);
        var variance = DoubleGradient.ToDouble(layer.RunningVariance);
        Assert.True(variance.All(v => v > 0.5), "running variance moved towards the batch variance");
        var x = DoubleGradient.Random(9, 2f, 4, 3);
        var r = DoubleGradient.CheckLayer(layer, x, (xd, p) => Reference.BatchNormInference(xd, p[0], p[1], mean, variance, 4, 3, 1e-5), training: false);
        AssertPasses(r);
    }

    [Fact]
    public void DropoutWithItsMaskHeldFixed()
    {
        var layer = Built(new Dropout(0.4f), 10);
        var x = DoubleGradient.Random(10, 1f, 4, 10);
        layer.Forward(x, training: true);
        var mask = DoubleGradient.ToDouble(layer.Mask!);
        // CheckLayer runs one more training forward; the reference must use that pass's mask.
        var r = DoubleGradient.CheckLayer(layer, x, (xd, _) => xd.Select((v, i) => v * mask[i]).ToArray(), training: true);
        Assert.True(r.ForwardError > 0, "a new forward pass draws a new mask");
        layer.Rng.SetState(new Rng(1).GetState());
        layer.Forward(x, training: true);
        mask = DoubleGradient.ToDouble(layer.Mask!);
        var state = new Rng(1).GetState();
        layer.Rng.SetState(state);
        r = DoubleGradient.CheckLayer(layer, x, (xd, _) => xd.Select((v, i) => v * mask[i]).ToArray(), training: true);
        AssertPasses(r);
    }

    [Fact]
    public void Flatten()
    {
        var layer = Built(new Flatten(), 2, 3);
        var x = DoubleGradient.Random(12, 1f, 4, 2, 3);
        var y = layer.Forward(x, false);
        Assert.True(y.HasShape(4, 6));
        var dx = layer.Backward(y);
        Assert.True(dx.HasShape(4, 2, 3));
        AssertPasses(DoubleGradient.CheckLayer(layer, x, (xd, _) => (double[])xd.Clone()));
    }
}
