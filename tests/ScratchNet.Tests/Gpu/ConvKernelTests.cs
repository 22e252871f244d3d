using ILGPU;
using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>The convolution kernels on ILGPU's CPU accelerator against the CPU library's <see cref="Conv2D"/> and <see cref="Im2Col"/>.</summary>
[Collection(ConvTestAccelerator.Name)]
public class ConvKernelTests(ConvTestAccelerator device)
{
    public static TheoryData<int, int, int, int, int, int, int> Cases() => new()
    {
        // (batch, channels, side, outChannels, kernel, stride, padding)
        { 1, 1, 1, 1, 1, 1, 0 },    // one pixel, one filter
        { 2, 3, 1, 2, 3, 1, 1 },    // a 1x1 image seen only through the padding
        { 2, 7, 7, 5, 3, 1, 1 },
        { 3, 2, 7, 4, 3, 2, 1 },    // stride 2 with padding: some pixels feed no output's centre
        { 1, 1, 33, 3, 5, 2, 2 },
        { 2, 33, 7, 7, 1, 1, 0 },   // 1x1 filters over 33 channels
        { 1, 3, 9, 33, 4, 3, 2 },   // even kernel, stride 3: windows that skip pixels
        { 2, 1, 28, 4, 5, 1, 0 },   // the mnist-cnn first layer's geometry
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndGradientsMatchConv2D(int n, int c, int side, int outC, int k, int stride, int pad)
    {
        var (layer, x, g, y, dx) = CpuConvolution(n, c, side, outC, k, stride, pad);
        var shape = ConvShape.Create(n, c, side, side, outC, k, stride, pad);
        var launcher = new ConvLauncher(device.Accelerator);
        using var xd = device.Upload(x.Span.ToArray());
        using var wd = device.Upload(layer.Weight.Value.Span.ToArray());
        using var bd = device.Upload(layer.Bias!.Value.Span.ToArray());
        using var yd = device.Allocate<float>(shape.OutputLength);
        launcher.Forward(shape, xd.View, wd.View, bd.View, yd.View);
        GpuAssert.Close(y.Span, device.Download<float>(yd.View), "y", 1e-5);

        using var gd = device.Upload(g.Span.ToArray());
        using var dxd = device.Allocate<float>(shape.InputLength);
        using var dwd = device.Allocate<float>(shape.WeightLength);
        using var dbd = device.Allocate<float>(outC);
        launcher.Backward(shape, xd.View, wd.View, gd.View, dxd.View, dwd.View, dbd.View);
        GpuAssert.Close(dx.Span, device.Download<float>(dxd.View), "dx", 1e-5);
        GpuAssert.Close(layer.Weight.Gradient.Span, device.Download<float>(dwd.View), "dW", 1e-5);
        GpuAssert.Close(layer.Bias.Gradient.Span, device.Download<float>(dbd.View), "db", 1e-5);
    }

    [Fact]
    public void ForwardWithoutBiasAndBackwardWithoutInputGradient()
    {
        var (layer, x, g, y, _) = CpuConvolution(2, 3, 7, 4, 3, 2, 1);
        var shape = ConvShape.Create(2, 3, 7, 7, 4, 3, 2, 1);
        var launcher = new ConvLauncher(device.Accelerator);
        using var xd = device.Upload(x.Span.ToArray());
        using var wd = device.Upload(layer.Weight.Value.Span.ToArray());
        using var yd = device.Allocate<float>(shape.OutputLength);
        launcher.Forward(shape, xd.View, wd.View, ArrayView<float>.Empty, yd.View);
        var yNoBias = device.Download<float>(yd.View);
        int plane = shape.OutHeight * shape.OutWidth;
        var expected = y.Span.ToArray();
        for (int i = 0; i < expected.Length; i++) expected[i] -= layer.Bias!.Value[i / plane % 4];
        GpuAssert.Close(expected, yNoBias, "y without bias", 1e-5);

        using var gd = device.Upload(g.Span.ToArray());
        using var dwd = device.Allocate<float>(shape.WeightLength);
        launcher.Backward(shape, xd.View, wd.View, gd.View, ArrayView<float>.Empty, dwd.View, ArrayView<float>.Empty);
        GpuAssert.Close(layer.Weight.Gradient.Span, device.Download<float>(dwd.View), "dW", 1e-5);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Im2ColMatchesTheCpuPatchMatrixAndCol2ImItsAdjoint(int n, int c, int side, int outC, int k, int stride, int pad)
    {
        var (layer, x, g, y, dx) = CpuConvolution(n, c, side, outC, k, stride, pad);
        var shape = ConvShape.Create(n, c, side, side, outC, k, stride, pad);
        int rows = shape.PatchLength, columns = shape.ColumnCount;
        var launcher = new Im2ColLauncher(device.Accelerator);
        using var xd = device.Upload(x.Span.ToArray());
        using var colsd = device.Allocate<float>((long)rows * columns);
        launcher.Pack(shape, xd.View, colsd.View);
        var cols = device.Download<float>(colsd.View);
        var cpuCols = new float[rows * columns];
        Im2Col.Pack(x.Span.ToArray(), 0, n, new ConvGeometry(c, side, side, k, stride, pad), cpuCols, 0, columns);
        Assert.Equal(cpuCols, cols);   // a copy: bit for bit

        // Y = W · cols, then back to NCHW with the bias: the convolution.
        var w = layer.Weight.Value.Span.ToArray();
        using var productd = device.Upload(Multiply(w, outC, rows, cols, columns, transposeLeft: false));
        using var bd = device.Upload(layer.Bias!.Value.Span.ToArray());
        using var yd = device.Allocate<float>(shape.OutputLength);
        launcher.ColumnsToBatch(shape, productd.View, bd.View, yd.View);
        GpuAssert.Close(y.Span, device.Download<float>(yd.View), "y = W·cols + b", 1e-5);

        // dx = col2im(Wᵀ · dY), dY the output gradient in the product's layout.
        using var gd = device.Upload(g.Span.ToArray());
        using var dYd = device.Allocate<float>(shape.OutputLength);
        launcher.BatchToColumns(shape, gd.View, dYd.View);
        var dY = device.Download<float>(dYd.View);
        using var dColsd = device.Upload(Multiply(w, outC, rows, dY, columns, transposeLeft: true));
        using var dxd = device.Allocate<float>(shape.InputLength);
        launcher.Unpack(shape, dColsd.View, dxd.View);
        GpuAssert.Close(dx.Span, device.Download<float>(dxd.View), "dx = col2im(Wᵀ·dY)", 1e-5);
    }

    [Fact]
    public void ShapesAndViewsOutOfRangeAreRefusedWithTheirNames()
    {
        Assert.Contains("stride", Assert.Throws<ArgumentException>(() => ConvShape.Create(1, 1, 5, 5, 1, 3, 0, 0)).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => ConvShape.Create(1, 1, 2, 2, 1, 5, 1, 1)).Message);
        Assert.Contains("32-bit", Assert.Throws<ArgumentException>(() => ConvShape.Create(1 << 16, 64, 64, 64, 1, 1, 1, 0)).Message);
        var shape = ConvShape.Create(1, 2, 5, 5, 3, 3, 1, 1);
        var launcher = new ConvLauncher(device.Accelerator);
        using var small = device.Allocate<float>(7);
        var e = Assert.Throws<ArgumentException>(() => launcher.Forward(shape, small.View, small.View, ArrayView<float>.Empty, small.View));
        Assert.Equal("ConvLauncher.Forward: input holds 7 values, the shape needs 50. (Parameter 'input')", e.Message);
    }

    [Fact]
    public void EveryConvolutionKernelCompilesToPtxForHopper()
    {
        foreach (var kernel in typeof(ConvKernels).GetMethods().Concat(typeof(Im2ColKernels).GetMethods()).Where(m => m.IsStatic && m.DeclaringType != typeof(object)))
            Assert.Contains(".entry", ConvTestAccelerator.CompileToPtx(kernel));
    }

    /// <summary>A built Conv2D with a random bias, its input, an output gradient, and its forward output and input gradient.</summary>
    private static (Conv2D Layer, Tensor X, Tensor G, Tensor Y, Tensor Dx) CpuConvolution(int n, int c, int side, int outC, int k, int stride, int pad)
    {
        var rng = new Rng((ulong)(n * 1000 + c * 100 + side * 10 + k + stride + pad));
        var layer = new Conv2D(outC, k, stride, pad);
        layer.Build([c, side, side], rng);
        for (int o = 0; o < outC; o++) layer.Bias!.Value[o] = rng.NextUniform(-0.5f, 0.5f);
        var x = GpuAssert.Random(rng, n, c, side, side);
        var y = layer.Forward(x, training: true).Clone();
        var g = GpuAssert.Random(rng, y.ShapeArray());
        var dx = layer.Backward(g).Clone();
        return (layer, x, g, y, dx);
    }

    /// <summary>A (m x k)·(k x cols) product, or Aᵀ·B with A stored (k x m), in double on the host: the GEMM the caller of Im2ColLauncher supplies.</summary>
    private static float[] Multiply(float[] a, int m, int k, float[] b, int cols, bool transposeLeft)
    {
        int rows = transposeLeft ? k : m, inner = transposeLeft ? m : k;
        var c = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < cols; q++)
            {
                double sum = 0;
                for (int p = 0; p < inner; p++) sum += (double)(transposeLeft ? a[p * k + r] : a[r * k + p]) * b[p * cols + q];
                c[r * cols + q] = (float)sum;
            }
        return c;
    }
}
