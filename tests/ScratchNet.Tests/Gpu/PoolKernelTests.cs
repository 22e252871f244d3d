using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// The pooling kernels on ILGPU's CPU accelerator against the CPU library's <see cref="MaxPool2D"/>,
/// <see cref="AvgPool2D"/> and <see cref="GlobalAveragePool"/>.
/// </summary>
[Collection(ConvTestAccelerator.Name)]
public class PoolKernelTests(ConvTestAccelerator device)
{
    public static TheoryData<int, int, int, int, int, bool> Cases() => new()
    {
        // (batch, channels, side, size, stride, ties)
        { 1, 1, 1, 1, 1, false },   // one pixel
        { 2, 7, 7, 2, 2, false },   // the common case; the last row and column fall outside every window
        { 1, 33, 7, 3, 2, false },  // overlapping windows: a pixel can win two
        { 2, 3, 33, 3, 1, false },  // stride 1: up to nine windows per pixel
        { 1, 2, 33, 2, 3, false },  // gaps between windows
        { 3, 7, 7, 3, 2, true },    // values from {0, 1, 2}: ties everywhere, the first maximum wins
        { 2, 1, 33, 2, 2, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxForwardAndBackwardMatchMaxPool2D(int n, int c, int side, int size, int stride, bool ties)
    {
        var rng = new Rng((ulong)(n * 100 + c * 10 + side + size + stride));
        var x = GpuAssert.Random(rng, n, c, side, side);
        if (ties) for (int i = 0; i < x.Length; i++) x[i] = MathF.Floor((x[i] + 1f) * 1.5f);
        var layer = new MaxPool2D(size, stride);
        layer.Build([c, side, side], rng);
        var y = layer.Forward(x, training: true).Clone();
        var g = GpuAssert.Random(rng, y.ShapeArray());
        var dx = layer.Backward(g).Clone();
        var (_, argMax) = ConvolutionReference.MaxPool2DForward(x, size, stride);

        var shape = PoolShape.Create(n, c, side, side, size, stride);
        var launcher = new PoolLauncher(device.Accelerator);
        using var xd = device.Upload(x.Span.ToArray());
        using var yd = device.Allocate<float>(shape.OutputLength);
        using var argd = device.Allocate<int>(shape.OutputLength);
        launcher.MaxForward(shape, xd.View, yd.View, argd.View);
        Assert.Equal(y.Span.ToArray(), device.Download<float>(yd.View));     // a maximum is one of the inputs: exact
        Assert.Equal(argMax, device.Download<int>(argd.View));               // the same winner, ties included

        using var gd = device.Upload(g.Span.ToArray());
        using var dxd = device.Allocate<float>(shape.InputLength);
        launcher.MaxBackward(shape, gd.View, argd.View, dxd.View);
        GpuAssert.Close(dx.Span, device.Download<float>(dxd.View), "dx", 1e-6);
    }

    public static TheoryData<int, int, int, int, int, int> AvgCases() => new()
    {
        // (batch, channels, height, width, size, stride)
        { 1, 1, 1, 1, 1, 1 },   // one pixel
        { 2, 7, 7, 7, 2, 2 },   // the common case; the last row and column fall outside every window
        { 1, 33, 7, 5, 3, 2 },  // overlapping windows, a non-square input
        { 2, 3, 9, 33, 3, 1 },  // stride 1: up to nine windows per pixel
        { 1, 2, 33, 7, 2, 3 },  // gaps between windows
    };

    [Theory]
    [MemberData(nameof(AvgCases))]
    public void AvgForwardAndBackwardAreAvgPool2DsBits(int n, int c, int h, int w, int size, int stride)
    {
        var rng = new Rng((ulong)(n * 1000 + c * 100 + h * 10 + w + size + stride));
        var x = GpuAssert.Random(rng, n, c, h, w);
        var layer = new AvgPool2D(size, stride);
        layer.Build([c, h, w], rng);
        var y = layer.Forward(x, training: true).Clone();
        var g = GpuAssert.Random(rng, y.ShapeArray());
        var dx = layer.Backward(g).Clone();

        // Each window's float sum and each pixel's sum of shares in the layer's order: the same bits.
        var shape = PoolShape.Create(n, c, h, w, size, stride);
        var launcher = new PoolLauncher(device.Accelerator);
        using var xd = device.Upload(x.Span.ToArray());
        using var yd = device.Allocate<float>(shape.OutputLength);
        launcher.AvgForward(shape, xd.View, yd.View);
        Assert.Equal(y.Span.ToArray(), device.Download<float>(yd.View));
        using var gd = device.Upload(g.Span.ToArray());
        using var dxd = device.Allocate<float>(shape.InputLength);
        launcher.AvgBackward(shape, gd.View, dxd.View);
        Assert.Equal(dx.Span.ToArray(), device.Download<float>(dxd.View));
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 7, 5, 3)]
    [InlineData(2, 33, 7, 7)]
    [InlineData(5, 2, 1, 33)]
    public void GlobalAverageForwardAndBackwardAreGlobalAveragePoolsBits(int n, int c, int h, int w)
    {
        var rng = new Rng((ulong)(n * 1000 + c * 100 + h * 10 + w));
        var x = GpuAssert.Random(rng, n, c, h, w);
        var layer = new GlobalAveragePool();
        layer.Build([c, h, w], rng);
        var y = layer.Forward(x, training: true).Clone();
        var g = GpuAssert.Random(rng, y.ShapeArray());
        var dx = layer.Backward(g).Clone();

        var launcher = new PoolLauncher(device.Accelerator);
        using var xd = device.Upload(x.Span.ToArray());
        using var yd = device.Allocate<float>(n * c);
        launcher.GlobalAvgForward(n * c, h * w, xd.View, yd.View);
        Assert.Equal(y.Span.ToArray(), device.Download<float>(yd.View));
        using var gd = device.Upload(g.Span.ToArray());
        using var dxd = device.Allocate<float>(x.Length);
        launcher.GlobalAvgBackward(n * c, h * w, gd.View, dxd.View);
        Assert.Equal(dx.Span.ToArray(), device.Download<float>(dxd.View));
    }

    [Fact]
    public void AViewOfTheWrongLengthIsRefusedByName()
    {
        var launcher = new PoolLauncher(device.Accelerator);
        using var small = device.Allocate<float>(3);
        using var four = device.Allocate<float>(4);
        Assert.Contains("output", Assert.Throws<ArgumentException>(() => launcher.GlobalAvgForward(2, 2, four.View, small.View)).Message);
        Assert.Contains("gradInput", Assert.Throws<ArgumentException>(() => launcher.AvgBackward(PoolShape.Create(1, 1, 2, 2, 2, 2), small.View.SubView(0, 1), small.View)).Message);
        Assert.Contains("at least 1", Assert.Throws<ArgumentException>(() => launcher.GlobalAvgForward(0, 2, four.View, small.View)).Message);
    }

    [Fact]
    public void NaNIsHandledAsByTheCpuLayer()
    {
        var x = new float[] { float.NaN, 1f, -2f, 0.5f, 3f, float.NaN, float.NaN, float.NaN };   // two 2x2 windows side by side
        var input = Tensor.FromArray(x, 1, 1, 2, 4);
        var (expected, argMax) = ConvolutionReference.MaxPool2DForward(input, 2, 2);
        var shape = PoolShape.Create(1, 1, 2, 4, 2, 2);
        using var xd = device.Upload(x);
        using var yd = device.Allocate<float>(2);
        using var argd = device.Allocate<int>(2);
        new PoolLauncher(device.Accelerator).MaxForward(shape, xd.View, yd.View, argd.View);
        Assert.Equal(expected.Span.ToArray(), device.Download<float>(yd.View));
        Assert.Equal(argMax, device.Download<int>(argd.View));
    }

    [Fact]
    public void ShapesOutOfRangeAreRefusedWithTheirNames()
    {
        Assert.Contains("size", Assert.Throws<ArgumentException>(() => PoolShape.Create(1, 1, 5, 5, 0, 1)).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => PoolShape.Create(1, 1, 2, 5, 3, 1)).Message);
    }

    [Fact]
    public void EveryPoolingKernelCompilesToPtxForHopper()
    {
        foreach (var kernel in typeof(PoolKernels).GetMethods().Where(m => m.IsStatic))
            Assert.Contains(".entry", ConvTestAccelerator.CompileToPtx(kernel));
    }
}
