using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

public class DeterminismTests
{
    private static float[][] RunConv(int threads, int batch, int inC, int side, int outC)
    {
        using (Compute.UseThreads(threads))
        {
            var rng = new Rng(99);
            var layer = new Conv2D(outC, 5, 1, 2);
            layer.Build([inC, side, side], rng);
            var x = Tensor.FromArray(Random(rng, batch * inC * side * side), batch, inC, side, side);
            var y = layer.Forward(x, true).ToArray();
            var g = Tensor.FromArray(Random(rng, y.Length), batch, outC, side, side);
            var dx = layer.Backward(g).ToArray();
            return [y, dx, layer.Weight.Gradient.ToArray(), layer.Bias!.Gradient.ToArray()];
        }
    }

    [Theory]
    [InlineData(6, 8, 14, 16)]   // dW as one GEMM
    [InlineData(16, 1, 28, 32)]  // the first mnist-cnn layer: dW summed over column slices
    public void Conv2DIsBitIdenticalWithOneAndTwoThreads(int batch, int inC, int side, int outC)
    {
        var one = RunConv(1, batch, inC, side, outC);
        var two = RunConv(2, batch, inC, side, outC);
        for (int i = 0; i < one.Length; i++)
            Assert.Equal(one[i].Select(BitConverter.SingleToInt32Bits), two[i].Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void PoolingAndBatchNormAreBitIdenticalWithOneAndTwoThreads()
    {
        float[][] Run(int threads)
        {
            using (Compute.UseThreads(threads))
            {
                var rng = new Rng(3);
                var x = Tensor.FromArray(Random(rng, 8 * 16 * 12 * 12), 8, 16, 12, 12);
                var results = new List<float[]>();
                foreach (Layer layer in new Layer[] { new MaxPool2D(2), new AvgPool2D(3, 2), new BatchNorm2D() })
                {
                    layer.Build([16, 12, 12], new Rng(1));
                    var y = layer.Forward(x, true);
                    results.Add(y.ToArray());
                    results.Add(layer.Backward(Tensor.FromArray(Random(rng, y.Length), y.ShapeArray())).ToArray());
                }
                return results.ToArray();
            }
        }
        var one = Run(1);
        var two = Run(2);
        for (int i = 0; i < one.Length; i++)
            Assert.Equal(one[i].Select(BitConverter.SingleToInt32Bits), two[i].Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void RepeatedStepsReuseTheirBuffers()
    {
        var rng = new Rng(4);
        var conv = new Conv2D(8, 3, 1, 1);
        conv.Build([4, 16, 16], rng);
        var pool = new MaxPool2D(2);
        pool.Build([8, 16, 16], rng);
        var x = Tensor.FromArray(Random(rng, 4 * 4 * 16 * 16), 4, 4, 16, 16);
        var g = Tensor.FromArray(Random(rng, 4 * 8 * 8 * 8), 4, 8, 8, 8);
        void Step() { conv.Backward(pool.Backward(g)); pool.Forward(conv.Forward(x, true), true); }
        pool.Forward(conv.Forward(x, true), true);
        Step();
        var y1 = conv.Forward(x, true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(y1, conv.Forward(x, true));
        // Buffers here are tens of kilobytes; only the thread pool's bookkeeping may allocate.
        Assert.True(allocated < 8192, $"a repeated step allocated {allocated} bytes");
    }
}
