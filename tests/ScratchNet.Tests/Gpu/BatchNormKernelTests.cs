using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// The batch-normalisation kernels on ILGPU's CPU accelerator against the CPU library's
/// <see cref="BatchNorm2D"/> (N, C, H·W) and <see cref="BatchNorm"/> (N, F, 1), in training and inference.
/// </summary>
[Collection(ConvTestAccelerator.Name)]
public class BatchNormKernelTests(ConvTestAccelerator device)
{
    private const float Momentum = 0.1f, Epsilon = 1e-5f;

    public static TheoryData<int, int, int, int> Cases2D() => new()
    {
        // (batch, channels, height, width)
        { 2, 1, 1, 1 },     // two values per channel: the least training allows
        { 1, 7, 3, 5 },
        { 3, 33, 7, 7 },
        { 7, 3, 1, 33 },
    };

    [Theory]
    [MemberData(nameof(Cases2D))]
    public void MatchesBatchNorm2D(int n, int c, int h, int w)
    {
        var rng = new Rng((ulong)(n * 1000 + c * 100 + h * 10 + w));
        var layer = new BatchNorm2D(Momentum, Epsilon);
        layer.Build([c, h, w], rng);
        Randomize(rng, layer.Gamma.Value, layer.Beta.Value, layer.RunningMean, layer.RunningVariance);
        Check(rng, BatchNormShape.Create(n, c, h * w), [n, c, h, w], layer, layer.Gamma, layer.Beta, layer.RunningMean, layer.RunningVariance);
    }

    [Theory]
    [InlineData(1, 5)]     // one row: σ² = 0, x̂ = 0, y = β, as the host layer trains a last batch of one
    [InlineData(2, 1)]
    [InlineData(7, 33)]
    [InlineData(33, 7)]
    public void MatchesBatchNormOverFeatures(int n, int features)
    {
        var rng = new Rng((ulong)(n * 100 + features));
        var layer = new BatchNorm(Momentum, Epsilon);
        layer.Build([features], rng);
        Randomize(rng, layer.Gamma.Value, layer.Beta.Value, layer.RunningMean, layer.RunningVariance);
        Check(rng, BatchNormShape.Create(n, features, 1), [n, features], layer, layer.Gamma, layer.Beta, layer.RunningMean, layer.RunningVariance);
    }

    [Fact]
    public void EveryBatchNormKernelCompilesToPtxForHopper()
    {
        foreach (var kernel in typeof(BatchNormKernels).GetMethods().Where(m => m.IsStatic))
            Assert.Contains(".entry", ConvTestAccelerator.CompileToPtx(kernel));
    }

    /// <summary>
    /// A training step (forward, backward) then an inference one, on the CPU layer and on the device from
    /// the same γ, β and running statistics: outputs, running statistics and all gradients agree.
    /// </summary>
    private void Check(Rng rng, BatchNormShape shape, int[] batchShape, Layer layer, Parameter gamma, Parameter beta, Tensor runningMean, Tensor runningVar)
    {
        using var launcher = new BatchNormLauncher(device.Accelerator);
        using var gammad = device.Upload(gamma.Value.Span.ToArray());
        using var betad = device.Upload(beta.Value.Span.ToArray());
        using var meand = device.Upload(runningMean.Span.ToArray());
        using var vard = device.Upload(runningVar.Span.ToArray());
        using var normalized = device.Allocate<float>(shape.Length);
        using var invStd = device.Allocate<float>(shape.Channels);
        using var yd = device.Allocate<float>(shape.Length);
        using var dxd = device.Allocate<float>(shape.Length);
        using var dgd = device.Allocate<float>(shape.Channels);
        using var dbd = device.Allocate<float>(shape.Channels);
        foreach (bool training in new[] { true, false })
        {
            string mode = training ? "training" : "inference";
            var x = GpuAssert.Random(rng, batchShape);
            for (int i = 0; i < x.Length; i++) x[i] = 3f * x[i] + 2f;   // a mean and a scale for the layer to remove
            var y = layer.Forward(x, training).Clone();
            var g = GpuAssert.Random(rng, batchShape);
            var dx = layer.Backward(g).Clone();

            using var xd = device.Upload(x.Span.ToArray());
            launcher.Forward(shape, training, Momentum, Epsilon, xd.View, gammad.View, betad.View, meand.View, vard.View, normalized.View, invStd.View, yd.View);
            GpuAssert.Close(y.Span, device.Download<float>(yd.View), $"y ({mode})", 1e-5);
            GpuAssert.Close(runningMean.Span, device.Download<float>(meand.View), $"running mean ({mode})", 1e-6);
            GpuAssert.Close(runningVar.Span, device.Download<float>(vard.View), $"running variance ({mode})", 1e-6);

            using var gd = device.Upload(g.Span.ToArray());
            launcher.Backward(shape, training, gd.View, normalized.View, gammad.View, invStd.View, dxd.View, dgd.View, dbd.View);
            GpuAssert.Close(dx.Span, device.Download<float>(dxd.View), $"dx ({mode})", 1e-5);
            GpuAssert.Close(gamma.Gradient.Span, device.Download<float>(dgd.View), $"dγ ({mode})", 1e-5);
            GpuAssert.Close(beta.Gradient.Span, device.Download<float>(dbd.View), $"dβ ({mode})", 1e-5);
        }
    }

    private static void Randomize(Rng rng, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar)
    {
        for (int i = 0; i < gamma.Length; i++)
        {
            gamma[i] = rng.NextUniform(0.5f, 1.5f);
            beta[i] = rng.NextUniform(-0.5f, 0.5f);
            runningMean[i] = rng.NextUniform(-1f, 1f);
            runningVar[i] = rng.NextUniform(0.5f, 2f);
        }
    }
}
