using ILGPU.Runtime;
using ScratchNet.Lessons;
using ScratchNet.Tensors;
using ScratchNet.Tests.Lessons;

namespace ScratchNet.Tests.Gpu;

/// <summary>Lesson 17's kernels: checked against its plain loops on every device it finds, and against the library's <see cref="Gemm"/>.</summary>
[Collection(ConvTestAccelerator.Name)]
public class GpuLesson17Tests(ConvTestAccelerator device)
{
    [Fact]
    public void KernelsMatchThePlainLoopsAndTilesCutTheGlobalReads()
    {
        var r = Lesson17GpuKernels.Run(LessonTestContext.Create());
        Assert.Contains(r.Runs, run => run.Device.StartsWith("CPU", StringComparison.Ordinal));
        foreach (var run in r.Runs)
        {
            Assert.True(run.ElementwiseError < 1e-6, $"{run.Device}: element-wise off by {run.ElementwiseError}");
            Assert.True(run.NaiveError < 1e-5, $"{run.Device}: naive product off by {run.NaiveError}");
            Assert.True(run.TiledError < 1e-5, $"{run.Device}: tiled product off by {run.TiledError}");
        }
        // T = 1 is the naive product; a larger T reads less, never under 2·M·N·K / T (the edge tiles are partly empty).
        Assert.Equal(r.NaiveReads, r.TiledReadsByTile[1]);
        Assert.Equal(2L * r.M * r.N * r.K, r.NaiveReads);
        Assert.True(r.TiledReadsByTile[4] * 3 < r.NaiveReads, $"T = 4 reads {r.TiledReadsByTile[4]} of {r.NaiveReads}");
        int previous = 1;
        foreach (int t in r.TiledReadsByTile.Keys.Where(t => t > 1))
        {
            Assert.InRange(r.TiledReadsByTile[t], r.NaiveReads / t, r.TiledReadsByTile[previous] - 1);
            previous = t;
        }
    }

    [Fact]
    public void TiledProductOnTheCpuAcceleratorIsTheLibrarysGemm()
    {
        var rng = new Rng(1313);
        int m = Lesson17GpuKernels.M, k = Lesson17GpuKernels.K, n = Lesson17GpuKernels.N;
        var A = GpuAssert.Random(rng, m, k);
        var B = GpuAssert.Random(rng, k, n);
        var x = GpuAssert.Random(rng, 33).Span.ToArray();
        var y = GpuAssert.Random(rng, 33).Span.ToArray();
        var z = x.Zip(y, (xi, yi) => 0.5f * xi + yi).ToArray();
        var library = Gemm.MatMul(A, B).Span.ToArray();
        var run = Lesson17GpuKernels.RunOn(device.Accelerator, 0.5f, x, y, z, A.Span.ToArray(), B.Span.ToArray(), library);
        Assert.Equal(AcceleratorType.CPU, device.Accelerator.AcceleratorType);
        Assert.True(run.Tile > 1 && run.Tile * run.Tile <= device.Accelerator.MaxNumThreadsPerGroup, $"tile {run.Tile}");
        Assert.True(run.NaiveError < 1e-5, $"naive product off by {run.NaiveError} from Gemm.MatMul");
        Assert.True(run.TiledError < 1e-5, $"tiled product off by {run.TiledError} from Gemm.MatMul");
        Assert.Equal(0, run.ElementwiseError);
    }
}
