using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// The dropout kernels on ILGPU's CPU accelerator: the mask is the host's <see cref="DropoutHash"/> bit for
/// bit (so the same on every device), drops the rate's share like the CPU <see cref="Dropout"/>, and the
/// backward given a mask is the CPU layer's.
/// </summary>
[Collection(ConvTestAccelerator.Name)]
public class DropoutKernelTests(ConvTestAccelerator device)
{
    [Theory]
    [InlineData(1, 0.5f)]
    [InlineData(33, 0.1f)]
    [InlineData(7 * 33 * 33, 0.5f)]
    [InlineData(7 * 33 * 33, 0f)]
    public void MaskIsTheHashOfSeedStepAndIndexAndScalesTheKeptValues(int length, float rate)
    {
        var rng = new Rng(7);
        var x = GpuAssert.Random(rng, length).Span.ToArray();
        var (mask, y) = Forward(x, seed: 42, step: 3, rate);
        float keep = 1f / (1f - rate);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(DropoutHash.Mask(42, 3, (ulong)i, rate, keep), mask[i]);
            Assert.True(mask[i] == 0f || mask[i] == keep, $"mask[{i}] = {mask[i]}");
            Assert.Equal(x[i] * mask[i], y[i]);
        }
    }

    [Fact]
    public void EachStepAndSeedGetsItsOwnMaskAndTheSameOnesAgain()
    {
        var x = Enumerable.Repeat(1f, 1000).ToArray();
        var (a, _) = Forward(x, 1, 0, 0.5f);
        var (again, _) = Forward(x, 1, 0, 0.5f);
        var (nextStep, _) = Forward(x, 1, 1, 0.5f);
        var (otherSeed, _) = Forward(x, 2, 0, 0.5f);
        Assert.Equal(a, again);
        // Independent masks agree on about half of the elements; equal ones on all.
        Assert.InRange(a.Zip(nextStep).Count(p => p.First == p.Second), 400, 600);
        Assert.InRange(a.Zip(otherSeed).Count(p => p.First == p.Second), 400, 600);
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void DropsTheRatesShareLikeTheCpuLayer(float rate)
    {
        const int length = 20_000;
        var x = Enumerable.Repeat(1f, length).ToArray();
        var (mask, y) = Forward(x, seed: 5, step: 0, rate);
        var cpu = new Dropout(rate);
        cpu.Build([length], new Rng(5));
        var cpuY = cpu.Forward(Tensor.FromArray(x, 1, length), training: true).Span.ToArray();
        // Each element drops independently with probability p: the share dropped is within 5 standard
        // deviations √(p(1−p)/n) of p on both devices, and E[y] = x within the same margin.
        double margin = 5 * Math.Sqrt(rate * (1 - rate) / length);
        Assert.InRange(mask.Count(m => m == 0f) / (double)length, rate - margin, rate + margin);
        Assert.InRange(cpuY.Count(v => v == 0f) / (double)length, rate - margin, rate + margin);
        double meanMargin = margin / (1 - rate);
        Assert.InRange(y.Average(), 1 - meanMargin, 1 + meanMargin);
        Assert.InRange(cpuY.Average(), 1 - meanMargin, 1 + meanMargin);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33 * 33)]
    public void BackwardGivenTheCpuLayersMaskIsTheCpuLayersBackward(int length)
    {
        var rng = new Rng(11);
        var cpu = new Dropout(0.3f);
        cpu.Build([length], rng);
        cpu.Forward(GpuAssert.Random(rng, 2, length), training: true);
        var g = GpuAssert.Random(rng, 2, length);
        var dx = cpu.Backward(g);
        using var gd = device.Upload(g.Span.ToArray());
        using var md = device.Upload(cpu.Mask!.Span.ToArray());
        using var dxd = device.Allocate<float>(g.Length);
        new DropoutLauncher(device.Accelerator).Backward(gd.View, md.View, dxd.View);
        Assert.Equal(dx.Span.ToArray(), device.Download<float>(dxd.View));
    }

    [Fact]
    public void RateOutsideZeroToOneIsRefused()
    {
        using var b = device.Allocate<float>(4);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DropoutLauncher(device.Accelerator).Forward(b.View, b.View, b.View, 1, 0, 1f));
        Assert.Contains("rate must be in [0, 1) (got 1)", e.Message);
    }

    [Fact]
    public void EveryDropoutKernelCompilesToPtxForHopper()
    {
        foreach (var kernel in typeof(DropoutKernels).GetMethods().Where(m => m.IsStatic))
            Assert.Contains(".entry", ConvTestAccelerator.CompileToPtx(kernel));
    }

    private (float[] Mask, float[] Y) Forward(float[] x, ulong seed, ulong step, float rate)
    {
        using var xd = device.Upload(x);
        using var md = device.Allocate<float>(x.Length);
        using var yd = device.Allocate<float>(x.Length);
        new DropoutLauncher(device.Accelerator).Forward(xd.View, md.View, yd.View, seed, step, rate);
        return (device.Download<float>(md.View), device.Download<float>(yd.View));
    }
}
