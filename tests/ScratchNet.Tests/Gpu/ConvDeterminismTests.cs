using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ScratchNet.Gpu.Kernels;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// The kernels' bits do not depend on how the threads are grouped: every output is summed by one thread
/// in a fixed order, with no atomics. Two CPU accelerators that simulate different GPUs (other group
/// sizes, so other threads share a group and run together) give the same bits.
/// </summary>
[Collection(ConvTestAccelerator.Name)]
public class ConvDeterminismTests(ConvTestAccelerator device)
{
    [Fact]
    public void SameBitsOnAcceleratorsWithOtherGroupSizes()
    {
        using var context = Context.Create(builder => builder.CPU(CPUDeviceKind.Intel));
        using var other = context.CreateCPUAccelerator(0);
        Assert.NotEqual(device.Accelerator.MaxNumThreadsPerGroup, other.MaxNumThreadsPerGroup);
        Assert.Equal(Run(device.Accelerator), Run(other));
    }

    /// <summary>A convolution's forward and gradients, max pooling, dropout and a batch-norm step, all outputs concatenated.</summary>
    private static float[] Run(Accelerator accelerator)
    {
        var rng = new Rng(99);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => rng.NextUniform(-1f, 1f)).ToArray();
        var results = new List<float>();
        float[] Read(MemoryBuffer1D<float, Stride1D.Dense> b) { accelerator.Synchronize(); return b.GetAsArray1D(); }

        var conv = ConvShape.Create(3, 7, 9, 9, 5, 3, 2, 1);
        using var x = accelerator.Allocate1D(Random(conv.InputLength));
        using var w = accelerator.Allocate1D(Random(conv.WeightLength));
        using var b = accelerator.Allocate1D(Random(conv.OutChannels));
        using var y = accelerator.Allocate1D<float>(conv.OutputLength);
        using var g = accelerator.Allocate1D(Random(conv.OutputLength));
        using var dx = accelerator.Allocate1D<float>(conv.InputLength);
        using var dw = accelerator.Allocate1D<float>(conv.WeightLength);
        using var db = accelerator.Allocate1D<float>(conv.OutChannels);
        var convolution = new ConvLauncher(accelerator);
        convolution.Forward(conv, x.View, w.View, b.View, y.View);
        convolution.Backward(conv, x.View, w.View, g.View, dx.View, dw.View, db.View);
        results.AddRange(Read(y).Concat(Read(dx)).Concat(Read(dw)).Concat(Read(db)));

        var pool = PoolShape.Create(3, 7, 9, 9, 3, 2);
        using var py = accelerator.Allocate1D<float>(pool.OutputLength);
        using var arg = accelerator.Allocate1D<int>(pool.OutputLength);
        using var pdx = accelerator.Allocate1D<float>(pool.InputLength);
        var pooling = new PoolLauncher(accelerator);
        pooling.MaxForward(pool, x.View, py.View, arg.View);
        pooling.MaxBackward(pool, py.View, arg.View, pdx.View);
        results.AddRange(Read(py).Concat(Read(pdx)));

        using var mask = accelerator.Allocate1D<float>(conv.InputLength);
        using var dropped = accelerator.Allocate1D<float>(conv.InputLength);
        new DropoutLauncher(accelerator).Forward(x.View, mask.View, dropped.View, seed: 3, step: 4, rate: 0.25f);
        results.AddRange(Read(dropped));

        var bn = BatchNormShape.Create(3, 7, 81);
        using var gamma = accelerator.Allocate1D(Random(7));
        using var beta = accelerator.Allocate1D(Random(7));
        using var runningMean = accelerator.Allocate1D(new float[7]);
        using var runningVar = accelerator.Allocate1D(Enumerable.Repeat(1f, 7).ToArray());
        using var normalized = accelerator.Allocate1D<float>(bn.Length);
        using var invStd = accelerator.Allocate1D<float>(7);
        using var bny = accelerator.Allocate1D<float>(bn.Length);
        using var bndx = accelerator.Allocate1D<float>(bn.Length);
        using var dgamma = accelerator.Allocate1D<float>(7);
        using var dbeta = accelerator.Allocate1D<float>(7);
        using var norm = new BatchNormLauncher(accelerator);
        norm.Forward(bn, true, 0.1f, 1e-5f, x.View, gamma.View, beta.View, runningMean.View, runningVar.View, normalized.View, invStd.View, bny.View);
        norm.Backward(bn, true, dx.View, normalized.View, gamma.View, invStd.View, bndx.View, dgamma.View, dbeta.View);
        results.AddRange(Read(bny).Concat(Read(bndx)).Concat(Read(dgamma)).Concat(Read(dbeta)).Concat(Read(runningMean)).Concat(Read(runningVar)));
        return results.ToArray();
    }
}
