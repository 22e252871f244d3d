using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

public class Conv2DGradientTests
{
    [Theory]
    [InlineData(2, 3, 5, 7, 4, 3, 1, 0, true)]   // channels > 1, batch > 1, non-square
    [InlineData(2, 2, 6, 5, 3, 3, 2, 1, true)]   // stride 2, padding 1
    [InlineData(1, 3, 7, 7, 2, 5, 1, 2, true)]   // padding 2 keeps the size
    [InlineData(3, 1, 4, 6, 2, 2, 2, 2, false)]  // even kernel, padding 2, stride 2, no bias
    [InlineData(2, 2, 5, 5, 3, 1, 1, 0, true)]   // 1x1 kernel
    [InlineData(2, 2, 8, 9, 2, 3, 3, 1, true)]   // stride 3, windows dropped at the edge
    public void AnalyticGradientsMatchDoubleNumericalGradients(int n, int c, int h, int w, int outC, int k, int stride, int pad, bool bias)
    {
        var rng = new Rng(7);
        var layer = new ScratchNet.Layers.Conv2D(outC, k, stride, pad, bias);
        layer.Build([c, h, w], rng);
        if (bias) Random(rng, outC, 0.5f).CopyTo(layer.Bias!.Value.Span);
        var x = Tensor.FromArray(Random(rng, n * c * h * w), n, c, h, w);
        var y = layer.Forward(x, training: true);
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        var dx = layer.Backward(g).ToArray();

        double[] xd = ToDouble(x.Span), wd = ToDouble(layer.Weight.Value.Span), gd = ToDouble(g.Span);
        double[]? bd = bias ? ToDouble(layer.Bias!.Value.Span) : null;
        Func<double[]> f = () => Conv2D(xd, n, c, h, w, wd, bd, outC, k, stride, pad, out _, out _);

        var yRef = f();
        AssertClose(yRef, y.Span, "y", 1e-5, 1e-5);
        AssertClose(NumericalGradient(xd, gd, f), dx, "dx");
        AssertClose(NumericalGradient(wd, gd, f), layer.Weight.Gradient.Span, "dW");
        if (bias) AssertClose(NumericalGradient(bd!, gd, f), layer.Bias!.Gradient.Span, "db");
    }

    [Fact]
    public void ShapesAndSpec()
    {
        var layer = new ScratchNet.Layers.Conv2D(8, 5, stride: 2, padding: 1);
        Assert.Equal([8, 13, 13], layer.OutputShape([3, 28, 28]));
        var again = ScratchNet.Layers.Conv2D.FromSpec(layer.Spec);
        Assert.Equal(layer.Spec.ToString(), again.Spec.ToString());
        Assert.Throws<ArgumentException>(() => layer.OutputShape([3, 28]));
        var ex = Assert.Throws<ArgumentException>(() => new ScratchNet.Layers.Conv2D(4, 7).OutputShape([1, 5, 5]));
        Assert.Contains("does not fit", ex.Message);
    }

    [Fact]
    public void HeInitialisationHasVariance2OverFanIn()
    {
        var layer = new ScratchNet.Layers.Conv2D(64, 5);
        layer.Build([32, 12, 12], new Rng(1));
        var w = layer.Weight.Value.Span;
        double sq = 0;
        foreach (float v in w) sq += v * v;
        double variance = sq / w.Length, expected = 2.0 / (32 * 25);
        Assert.InRange(variance, expected * 0.95, expected * 1.05);
        Assert.All(layer.Bias!.Value.ToArray(), b => Assert.Equal(0f, b));
    }
}
