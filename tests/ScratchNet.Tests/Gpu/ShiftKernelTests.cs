using System.Reflection;
using ILGPU;
using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// The random-shift kernel against the CPU's <see cref="RandomShift2D"/> on odd sizes (given the layer's
/// own draws, the same bits), and the launch wrappers the device engine uses compiled to PTX for Hopper.
/// </summary>
[Collection(ConvTestAccelerator.Name)]
public class ShiftKernelTests(ConvTestAccelerator device)
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(3, 2, 5, 7, 2)]
    [InlineData(5, 1, 9, 4, 3)]    // shifts as wide as the image: some samples are all border
    [InlineData(2, 3, 28, 28, 2)]
    public void ForwardAndBackwardGivenTheLayersDrawsAreTheLayersBits(int n, int c, int h, int w, int maxShift)
    {
        var rng = new Rng(7);
        var x = GpuAssert.Random(rng, n, c, h, w);
        var g = GpuAssert.Random(rng, n, c, h, w);
        var layer = new RandomShift2D(maxShift);
        layer.Build([c, h, w], new Rng(3));
        var twin = new RandomShift2D(maxShift);
        twin.Build([c, h, w], new Rng(3));
        var y = layer.Forward(x, training: true).ToArray();
        var dx = layer.Backward(g).ToArray();
        var shifts = new int[2 * n];
        twin.DrawShifts(shifts);

        var kernels = new ShiftKernels(device.Accelerator);
        using var xd = device.Upload(x.ToArray());
        using var gd = device.Upload(g.ToArray());
        using var sd = device.Upload(shifts);
        using var yd = device.Allocate<float>(x.Length);
        using var dxd = device.Allocate<float>(x.Length);
        kernels.Forward(xd.View, sd.View, yd.View, n, c, h, w);
        kernels.Backward(gd.View, sd.View, dxd.View, n, c, h, w);
        Assert.Equal(y, device.Download<float>(yd.View));
        Assert.Equal(dx, device.Download<float>(dxd.View));
    }

    [Fact]
    public void AViewTooShortIsRefused()
    {
        var kernels = new ShiftKernels(device.Accelerator);
        using var x = device.Allocate<float>(2 * 3 * 3);
        using var shifts = device.Allocate<int>(3); // two samples need four
        var e = Assert.Throws<ArgumentException>(() => kernels.Forward(x.View, shifts.View, x.View, 2, 1, 3, 3));
        Assert.Contains("ShiftKernels", e.Message);
    }

    [Theory]
    [InlineData(typeof(ShiftKernels))]
    [InlineData(typeof(ConvLauncher))]
    [InlineData(typeof(PoolLauncher))]
    [InlineData(typeof(DropoutLauncher))]
    [InlineData(typeof(BatchNormLauncher))]
    [InlineData(typeof(GradientKernels))]
    public void TheEnginesKernelsCompileToPtxForHopper(Type type)
    {
        var kernels = type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Index1D)).ToArray();
        Assert.NotEmpty(kernels);
        foreach (var kernel in kernels)
            Assert.Contains(".entry", ConvTestAccelerator.CompileToPtx(kernel));
    }
}
