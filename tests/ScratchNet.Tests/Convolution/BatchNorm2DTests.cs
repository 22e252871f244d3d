using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

public class BatchNorm2DTests
{
    [Theory]
    [InlineData(3, 2, 4, 5)]
    [InlineData(2, 3, 1, 1)]
    [InlineData(1, 2, 3, 7)]
    public void TrainingGradientsMatchDoubleNumericalGradients(int n, int c, int h, int w)
    {
        var rng = new Rng(21);
        var layer = new BatchNorm2D(0.1f, 1e-5f);
        layer.Build([c, h, w], rng);
        Random(rng, c, 0.5f).AsSpan().CopyTo(layer.Gamma.Value.Span);
        Random(rng, c, 0.5f).AsSpan().CopyTo(layer.Beta.Value.Span);
        var x = Tensor.FromArray(Random(rng, n * c * h * w, 2f), n, c, h, w);
        var y = layer.Forward(x, training: true);
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        var dx = layer.Backward(g).ToArray();
        double[] xd = ToDouble(x.Span), gd = ToDouble(g.Span);
        double[] gamma = ToDouble(layer.Gamma.Value.Span), beta = ToDouble(layer.Beta.Value.Span);
        Func<double[]> f = () => BatchNorm(xd, n, c, h, w, gamma, beta, 1e-5);
        AssertClose(f(), y.Span, "y", 1e-5, 1e-4);
        AssertClose(NumericalGradient(xd, gd, f), dx, "dx", 5e-4, 2e-3);
        AssertClose(NumericalGradient(gamma, gd, f), layer.Gamma.Gradient.Span, "dgamma");
        AssertClose(NumericalGradient(beta, gd, f), layer.Beta.Gradient.Span, "dbeta");
    }

    [Fact]
    public void RunningStatisticsFollowMomentumAndAreUsedAtInference()
    {
        var layer = new BatchNorm2D(momentum: 0.5f);
        layer.Build([1, 1, 2], new Rng(1));
        var x = Tensor.FromArray([1f, 3f, 5f, 7f], 2, 1, 1, 2); // mean 4, biased var 5, unbiased 20/3
        layer.Forward(x, training: true);
        Assert.Equal(2f, layer.RunningMean[0], 5);
        Assert.Equal(0.5f * 1f + 0.5f * 20f / 3f, layer.RunningVariance[0], 5);
        Assert.Equal(["running_mean", "running_var"], layer.Buffers.Select(b => b.Name));
        var y = layer.Forward(Tensor.FromArray([2f, 2f], 1, 1, 1, 2), training: false);
        Assert.Equal(0f, y[0], 6); // (2 - running mean 2) / sqrt(...) * 1 + 0
        Assert.Equal("BatchNorm2D(momentum=0.5, epsilon=1E-05)", BatchNorm2D.FromSpec(layer.Spec).Spec.ToString());
    }
}
