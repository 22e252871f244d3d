using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

/// <summary>The im2col + GEMM path against the plain loops of <see cref="ConvolutionReference"/>.</summary>
[Trait("Category", "Kernels")]
public class FastPathTests
{
    public static TheoryData<int, int, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<int, int, int, int, int, int, int>();
        // (batch, channels, side, outChannels, kernel, stride, padding)
        data.Add(2, 3, 1, 4, 1, 1, 0);   // 1x1 image
        data.Add(1, 2, 1, 3, 3, 1, 1);   // 1x1 image, 3x3 kernel over the padding
        foreach (int k in new[] { 1, 3, 5 })
        {
            data.Add(2, 3, 7, 5, k, 1, 0);
            data.Add(3, 2, 7, 4, k, 2, k / 2);
            data.Add(2, 3, 33, 6, k, 1, k / 2);
            data.Add(1, 2, 33, 3, k, 2, 1);
        }
        data.Add(2, 1, 28, 32, 5, 1, 0);   // the mnist-cnn first layer
        data.Add(16, 1, 28, 32, 5, 1, 0);  // 9,216 columns: dW summed over slices (4096, 4096, 1024)
        data.Add(21, 4, 33, 3, 5, 1, 2);   // 100 x 1089 patches per sample: dx in ten chunks of 2 samples and one of 1
        data.Add(7, 32, 12, 5, 5, 1, 0);   // 800 x 64 patches per sample (the second mnist-cnn layer): dx in chunks of 4 and 3 samples
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv2DMatchesReference(int n, int c, int side, int outC, int k, int stride, int pad)
    {
        var rng = new Rng((ulong)(side * 100 + k * 10 + stride));
        var layer = new Conv2D(outC, k, stride, pad);
        layer.Build([c, side, side], rng);
        Random(rng, outC, 0.3f).CopyTo(layer.Bias!.Value.Span);
        var x = Tensor.FromArray(Random(rng, n * c * side * side), n, c, side, side);
        var y = layer.Forward(x, true);
        var yRef = ConvolutionReference.Conv2DForward(x, layer.Weight.Value, layer.Bias.Value, stride, pad);
        AssertClose(ToDouble(yRef.Span), y.Span, "y", 1e-5, 1e-5);

        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        var dx = layer.Backward(g);
        var (gxRef, gwRef, gbRef) = ConvolutionReference.Conv2DBackward(x, layer.Weight.Value, g, stride, pad);
        AssertClose(ToDouble(gxRef.Span), dx.Span, "dx", 1e-4, 1e-4);
        // dW sums N·P products (22,869 in the 33 x 33 case) in float: its error grows with the size of
        // the sums, not of the entry, so a small entry among large ones is checked against the largest.
        var dwRef = ToDouble(gwRef.Span);
        double dwScale = dwRef.Max(Math.Abs);
        AssertClose(dwRef, layer.Weight.Gradient.Span, "dW", Math.Max(1e-4, 2e-6 * dwScale), 1e-4);
        AssertClose(ToDouble(gbRef.Span), layer.Bias.Gradient.Span, "db", 1e-4, 1e-4);
    }

    [Theory]
    [InlineData(16, 1, 28, 32)] // the first mnist-cnn layer: per-sample products (P = 576)
    [InlineData(4, 3, 12, 8)]   // P = 64: the batched products
    public void Conv2DWithoutInputGradientStillGivesWeightAndBiasGradients(int n, int c, int side, int outC)
    {
        var rng = new Rng(17);
        var layer = new Conv2D(outC, 5) { ComputeInputGradient = false };
        layer.Build([c, side, side], rng);
        var x = Tensor.FromArray(Random(rng, n * c * side * side), n, c, side, side);
        var y = layer.Forward(x, true);
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        layer.Backward(g);
        var (_, gwRef, gbRef) = ConvolutionReference.Conv2DBackward(x, layer.Weight.Value, g, 1, 0);
        var dwRef = ToDouble(gwRef.Span);
        AssertClose(dwRef, layer.Weight.Gradient.Span, "dW", Math.Max(1e-4, 2e-6 * dwRef.Max(Math.Abs)), 1e-4);
        AssertClose(ToDouble(gbRef.Span), layer.Bias!.Gradient.Span, "db", 1e-4, 1e-4);
    }

    [Theory]
    [InlineData(1, 2, 1, 1, 1)]
    [InlineData(2, 3, 7, 2, 2)]
    [InlineData(2, 2, 7, 3, 2)]
    [InlineData(1, 3, 33, 2, 2)]
    [InlineData(2, 2, 33, 5, 3)]
    [InlineData(2, 3, 24, 2, 2)]   // rows of 12 windows: eight at a time, then four
    [InlineData(1, 2, 41, 2, 2)]   // rows of 20: eight, eight, four
    [InlineData(1, 1, 34, 2, 2)]   // rows of 17: the last window alone
    public void PoolingMatchesReference(int n, int c, int side, int size, int stride)
    {
        var rng = new Rng(5);
        var x = Tensor.FromArray(Random(rng, n * c * side * side), n, c, side, side);
        var max = new MaxPool2D(size, stride);
        max.Build([c, side, side], rng);
        var y = max.Forward(x, true);
        var (yRef, argMax) = ConvolutionReference.MaxPool2DForward(x, size, stride);
        Assert.Equal(yRef.ToArray(), y.ToArray());
        var g = Tensor.FromArray(Random(rng, y.Length), y.ShapeArray());
        Assert.Equal(ConvolutionReference.MaxPool2DBackward(x.ShapeArray(), argMax, g).ToArray(), max.Backward(g).ToArray());
        ulong region = max.RegionFingerprint();
        // At inference only the maxima are computed; a Backward after it finds the same winners.
        var yInference = max.Forward(x, false);
        Assert.Equal(yRef.ToArray(), yInference.ToArray());
        Assert.Equal(region, max.RegionFingerprint());
        max.Forward(x, false);
        Assert.Equal(ConvolutionReference.MaxPool2DBackward(x.ShapeArray(), argMax, g).ToArray(), max.Backward(g).ToArray());

        var avg = new AvgPool2D(size, stride);
        avg.Build([c, side, side], rng);
        var ya = avg.Forward(x, true);
        AssertClose(ToDouble(ConvolutionReference.AvgPool2DForward(x, size, stride).Span), ya.Span, "avg y", 1e-6, 1e-5);
        AssertClose(ToDouble(ConvolutionReference.AvgPool2DBackward(x.ShapeArray(), g, size, stride).Span), avg.Backward(g).Span, "avg dx", 1e-6, 1e-5);
    }
}
