using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

public class PoolingGradientTests
{
    [Theory]
    [InlineData(2, 3, 6, 8, 2, 2)]   // the common case
    [InlineData(2, 2, 7, 5, 3, 2)]   // overlapping windows, non-square, dropped edge
    [InlineData(1, 2, 5, 5, 2, 1)]   // stride 1
    [InlineData(3, 1, 9, 7, 3, 3)]
    public void MaxPoolGradientMatchesDoubleNumericalGradient(int n, int c, int h, int w, int size, int stride)
    {
        var rng = new Rng(11);
        var layer = new MaxPool2D(size, stride);
        layer.Build([c, h, w], rng);
        var x = Tensor.FromArray(Random(rng, n * c * h * w), n, c, h, w);
        var y = layer.Forward(x, true);
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        var dx = layer.Backward(g);
        double[] xd = ToDouble(x.Span), gd = ToDouble(g.Span);
        Func<double[]> f = () => MaxPool(xd, n, c, h, w, size, stride);
        AssertClose(f(), y.Span, "y", 0, 0);
        AssertClose(NumericalGradient(xd, gd, f), dx.Span, "dx");
    }

    [Theory]
    [InlineData(2, 3, 6, 8, 2, 2)]
    [InlineData(2, 2, 7, 5, 3, 2)]
    [InlineData(1, 2, 5, 5, 2, 1)]
    public void AvgPoolGradientMatchesDoubleNumericalGradient(int n, int c, int h, int w, int size, int stride)
    {
        var rng = new Rng(12);
        var layer = new AvgPool2D(size, stride);
        layer.Build([c, h, w], rng);
        var x = Tensor.FromArray(Random(rng, n * c * h * w), n, c, h, w);
        var y = layer.Forward(x, true);
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        var dx = layer.Backward(g);
        double[] xd = ToDouble(x.Span), gd = ToDouble(g.Span);
        Func<double[]> f = () => AvgPool(xd, n, c, h, w, size, stride);
        AssertClose(f(), y.Span, "y", 1e-6, 1e-5);
        AssertClose(NumericalGradient(xd, gd, f), dx.Span, "dx");
    }

    [Fact]
    public void GlobalAveragePoolGradientMatchesDoubleNumericalGradient()
    {
        var rng = new Rng(13);
        int n = 3, c = 4, h = 5, w = 3;
        var layer = new GlobalAveragePool();
        layer.Build([c, h, w], rng);
        Assert.Equal([c], layer.OutputShape([c, h, w]));
        var x = Tensor.FromArray(Random(rng, n * c * h * w), n, c, h, w);
        var y = layer.Forward(x, true);
        Assert.True(y.HasShape(n, c));
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        var dx = layer.Backward(g);
        double[] xd = ToDouble(x.Span), gd = ToDouble(g.Span);
        Func<double[]> f = () => GlobalAverage(xd, n, c, h, w);
        AssertClose(f(), y.Span, "y", 1e-6, 1e-5);
        AssertClose(NumericalGradient(xd, gd, f), dx.Span, "dx");
    }

    /// <summary>
    /// Ties: the first maximum in row-major window order takes the whole gradient. A constant window
    /// sends it to its top-left element; with a tie between the two bottom elements the bottom-left wins.
    /// </summary>
    [Fact]
    public void MaxPoolTieGoesToFirstMaximumInRowMajorOrder()
    {
        var layer = new MaxPool2D(2);
        layer.Build([1, 2, 4], new Rng(1));
        var x = Tensor.FromArray([5, 5, 1, 2,
                                  5, 5, 7, 7], 1, 1, 2, 4);
        var y = layer.Forward(x, true);
        Assert.Equal([5f, 7f], y.ToArray());
        var dx = layer.Backward(Tensor.FromArray([10f, 20f], 1, 1, 1, 2));
        Assert.Equal([10f, 0, 0, 0,
                      0, 0, 20f, 0], dx.ToArray());
        var (refY, argMax) = ConvolutionReference.MaxPool2DForward(x, 2, 2);
        Assert.Equal(refY.ToArray(), y.ToArray());
        Assert.Equal([0, 6], argMax);
    }

    [Fact]
    public void MaxPoolTiesInWideRowsAlsoGoToTheFirstMaximum()
    {
        // Rows of 12 windows take the eight-at-a-time path, then the four-at-a-time one; every window
        // holds ties in some pattern.
        var layer = new MaxPool2D(2);
        layer.Build([1, 4, 24], new Rng(1));
        var x = new Tensor(1, 1, 4, 24);
        var rng = new Rng(9);
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(2); // values 0 or 1: many ties
        var (yRef, argMax) = ConvolutionReference.MaxPool2DForward(x, 2, 2);
        Assert.Equal(yRef.ToArray(), layer.Forward(x, false).ToArray()); // the maxima alone: the same comparisons
        var y = layer.Forward(x, true);
        Assert.Equal(yRef.ToArray(), y.ToArray());
        var g = Tensor.FromArray(Enumerable.Range(1, 24).Select(i => (float)i).ToArray(), 1, 1, 2, 12);
        Assert.Equal(ConvolutionReference.MaxPool2DBackward(x.ShapeArray(), argMax, g).ToArray(), layer.Backward(g).ToArray());
        // A constant image: each window's gradient lands on its top-left pixel.
        x.Fill(3f);
        layer.Forward(x, true);
        var dx = layer.Backward(g);
        for (int h = 0; h < 4; h++)
            for (int w = 0; w < 24; w++)
                Assert.Equal(h % 2 == 0 && w % 2 == 0 ? g[(h / 2) * 12 + w / 2] : 0f, dx[h * 24 + w]);
    }

    [Fact]
    public void MaxPoolVectorPathsKeepTheScalarRulesForNaNAndSignedZeros()
    {
        // Rows of 13 windows (eight, four, one) drawn from NaN, ±0, ±1: NaN never wins a comparison, so
        // a window keeps a NaN only where it comes first; of −0 and +0 the first wins. Bits must match.
        float[] values = [float.NaN, -0f, 0f, 1f, -1f];
        var rng = new Rng(4);
        var x = new Tensor(2, 3, 4, 26);
        for (int i = 0; i < x.Length; i++) x[i] = values[rng.NextInt(values.Length)];
        var (yRef, argMax) = ConvolutionReference.MaxPool2DForward(x, 2, 2);
        var g = Tensor.FromArray(Enumerable.Range(1, yRef.Length).Select(i => (float)i).ToArray(), yRef.ShapeArray());
        var dxRef = ConvolutionReference.MaxPool2DBackward(x.ShapeArray(), argMax, g);
        foreach (bool training in new[] { true, false })
        {
            var layer = new MaxPool2D(2);
            layer.Build([3, 4, 26], new Rng(1));
            var y = layer.Forward(x, training);
            Assert.Equal(Bits(yRef), Bits(y));
            Assert.Equal(Bits(dxRef), Bits(layer.Backward(g)));
        }

        static int[] Bits(Tensor t) => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [Fact]
    public void OverlappingMaxPoolWindowsAccumulateGradient()
    {
        // One large value shared by two windows (size 2, stride 1) receives both gradients.
        var layer = new MaxPool2D(2, 1);
        layer.Build([1, 2, 3], new Rng(1));
        var x = Tensor.FromArray([0f, 9f, 1f,
                                  0f, 0f, 0f], 1, 1, 2, 3);
        Assert.Equal([9f, 9f], layer.Forward(x, true).ToArray());
        var dx = layer.Backward(Tensor.FromArray([2f, 3f], 1, 1, 1, 2));
        Assert.Equal([0f, 5f, 0f, 0f, 0f, 0f], dx.ToArray());
    }

    [Fact]
    public void PoolSpecsRoundTrip()
    {
        Assert.Equal("MaxPool2D(size=3, stride=2)", MaxPool2D.FromSpec(new MaxPool2D(3, 2).Spec).Spec.ToString());
        Assert.Equal("MaxPool2D(size=2, stride=2)", new MaxPool2D(2).Spec.ToString());
        Assert.Equal("AvgPool2D(size=2, stride=1)", AvgPool2D.FromSpec(new AvgPool2D(2, 1).Spec).Spec.ToString());
        Assert.Equal([3, 12, 12], new MaxPool2D(2).OutputShape([3, 24, 24]));
        Assert.Equal([3, 3, 2], new MaxPool2D(3, 2).OutputShape([3, 7, 6]));
    }
}
