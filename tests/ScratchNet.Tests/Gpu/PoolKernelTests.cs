using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>The max-pooling kernels on ILGPU's CPU accelerator against the CPU library's <see cref="MaxPool2D"/>.</summary>
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
