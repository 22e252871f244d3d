using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Models;

/// <summary>
/// A Sequential runs a Conv2D, the ReLU after it and the MaxPool2D after that as one run (bias, ReLU
/// and pooling per output plane; the pooled gradient routed under the ReLU's mask). The result must be
/// the bits of the layers run one by one, for one and two threads, on both of the convolution's paths
/// (a product per sample for large planes, chunks of samples for small ones), with odd channel counts,
/// strides, padding and overlapping pooling windows.
/// </summary>
public class FusedConvolutionTests
{
    private static Sequential Model() => new(
        new Conv2D(7, 3, padding: 1), new ReLU(), new MaxPool2D(2),          // 19x19 planes: per sample; 19 → 9
        new Conv2D(33, 3, stride: 2, padding: 1), new ReLU(), new MaxPool2D(3, 1), // 5x5 planes: chunked; overlapping windows 5 → 3
        new Conv2D(5, 1, useBias: false), new ReLU(),                        // no bias: not fused
        new Conv2D(7, 1), new Sigmoid(),                                     // not a ReLU: not fused
        new Conv2D(3, 2, padding: 1), new ReLU(),                            // fused pair without a pool: 3 → 4
        new Flatten(), new Dense(4));

    // One input channel, stride 1, no padding, planes 16 or more wide: the first convolution takes the
    // direct kernel (when the GEMM's is the 512-bit one), eight channels at a time, then two; the second
    // has output rows 8 wide, as mnist-cnn's, in chunks of samples.
    private static Sequential DirectModel() => new(
        new Conv2D(10, 5), new ReLU(), new MaxPool2D(2),                     // 24 → 20 → 10
        new Conv2D(17, 3), new ReLU(), new MaxPool2D(2),                     // 10 → 8 → 4
        new Flatten(), new Dense(4));

    // Output rows 8 wide, 32 and 64 channels, each followed by a ReLU and a 2 x 2 pool: the run takes
    // the pooled-rows kernel (pixels by channels, pooled in registers). 13 rows: the last conv row of the
    // first, odd, is in no window; the second has 3 input channels.
    private static Sequential PooledRowsModel() => new(
        new Conv2D(64, 5), new ReLU(), new MaxPool2D(2),                     // (3, 13, 12) → (64, 9, 8) → (64, 4, 4)
        new Conv2D(4, 1), new ReLU(),                                        // (4, 4, 4), no pool
        new Flatten(), new Dense(4));

    private static (int[][] Bits, int[] Runs) Run(int threads, bool fusedPath, bool inputGradient, bool direct = false, bool training = true, bool pooledRows = false)
    {
        using var scope = Compute.UseThreads(threads);
        int side = direct ? 24 : 19;
        int[] shape = pooledRows ? [3, 13, 12] : [1, side, side];
        var model = (pooledRows ? PooledRowsModel() : direct ? DirectModel() : Model()).Build(shape, new Rng(7));
        var rng = new Rng(8);
        var x = new Tensor([13, .. shape]);
        var dy = new Tensor(13, 4);
        foreach (ref float v in x.Span) v = rng.NextUniform(-2f, 2f);
        foreach (ref float v in dy.Span) v = rng.NextUniform(-1f, 1f);
        for (int step = 0; step < 2; step++)
        {
            var (y, dx) = FusedOrSeparate.Step(model, x, dy, fusedPath, inputGradient, training);
            if (step == 1)
            {
                // Every layer's state too: what a layer called on its own afterwards would read.
                var tensors = new[] { y, dx }.Concat(model.Parameters.Select(p => p.Gradient));
                var bits = tensors.Select(t => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()).ToList();
                bits.Add(model.Layers.OfType<IPiecewiseLayer>().Select(l => (int)l.RegionFingerprint()).ToArray());
                return (bits.ToArray(), RunLengths(model));
            }
            foreach (var p in model.Parameters) p.Value.Span[0] += 0.01f; // a different second step
        }
        throw new InvalidOperationException("unreachable");
    }

    private static int[] RunLengths(Sequential model)
    {
        var layers = model.Layers;
        var runs = new int[layers.Count];
        for (int i = 0; i < layers.Count;)
        {
            int count = layers[i] is Conv2D c && i + 1 < layers.Count && c.CanFuse(layers[i + 1])
                ? (i + 2 < layers.Count && layers[i + 2] is MaxPool2D ? 3 : 2) : 1;
            runs[i] = count;
            i += count;
        }
        return runs;
    }

    // Training: the winners are recorded as the run pools; inference: only the maxima, and the Backward
    // after it has the ReLU's deferred output written (WriteDeferredOutput) and the winners found from it.
    [Theory]
    [InlineData(1, true, true)]
    [InlineData(2, true, true)]
    [InlineData(1, false, true)]
    [InlineData(2, false, true)]
    [InlineData(1, true, false)]
    [InlineData(2, false, false)]
    public void TheRunGivesTheBitsOfTheLayersOneByOne(int threads, bool inputGradient, bool training)
    {
        var separate = Run(1, fusedPath: false, inputGradient, training: training);
        var fused = Run(threads, fusedPath: true, inputGradient, training: training);
        Assert.Equal([3, 0, 0, 3, 0, 0, 1, 1, 1, 1, 2, 0, 1, 1], fused.Runs);
        Assert.Equal(separate.Bits.Length, fused.Bits.Length);
        for (int i = 0; i < separate.Bits.Length; i++) Assert.Equal(separate.Bits[i], fused.Bits[i]);
    }

    [Theory]
    [InlineData(1, true, true)]
    [InlineData(2, true, true)]
    [InlineData(1, false, true)] // a first layer: dW from the pooled gradient, sample by sample
    [InlineData(2, false, true)]
    [InlineData(2, true, false)]
    [InlineData(1, false, false)]
    public void TheRunThroughTheDirectKernelGivesTheBitsOfTheLayersOneByOne(int threads, bool inputGradient, bool training)
    {
        var separate = Run(1, fusedPath: false, inputGradient, direct: true, training: training);
        var fused = Run(threads, fusedPath: true, inputGradient, direct: true, training: training);
        Assert.Equal([3, 0, 0, 3, 0, 0, 1, 1], fused.Runs);
        Assert.Equal(separate.Bits.Length, fused.Bits.Length);
        for (int i = 0; i < separate.Bits.Length; i++) Assert.Equal(separate.Bits[i], fused.Bits[i]);
    }

    [Theory]
    [InlineData(1, true, true)]
    [InlineData(2, true, true)]
    [InlineData(1, false, true)]
    [InlineData(2, false, false)]
    [InlineData(1, true, false)]
    public void TheRunThroughThePooledRowsKernelGivesTheBitsOfTheLayersOneByOne(int threads, bool inputGradient, bool training)
    {
        var separate = Run(1, fusedPath: false, inputGradient, training: training, pooledRows: true);
        var fused = Run(threads, fusedPath: true, inputGradient, training: training, pooledRows: true);
        Assert.Equal([3, 0, 0, 2, 0, 1, 1], fused.Runs);
        Assert.Equal(separate.Bits.Length, fused.Bits.Length);
        for (int i = 0; i < separate.Bits.Length; i++) Assert.Equal(separate.Bits[i], fused.Bits[i]);
    }

    // The run leaves the ReLU's output unwritten and writes it when the ReLU first reads it: its Backward
    // and its region after the run are those of the layers one by one. Once the convolution has run
    // again, that output is gone: the ReLU says so instead of reading another pass's values.
    [Fact]
    public void TheReLUAfterARunWithAPoolGetsItsOutputWhenItReadsIt()
    {
        var conv = new Conv2D(10, 5);
        var relu = new ReLU();
        var model = new Sequential(conv, relu, new MaxPool2D(2), new Flatten()).Build([1, 24, 24], new Rng(3));
        var rng = new Rng(4);
        var x = new Tensor(3, 1, 24, 24);
        foreach (ref float v in x.Span) v = rng.NextUniform(-2f, 2f);
        var dy = new Tensor(3, 10, 20, 20);
        foreach (ref float v in dy.Span) v = rng.NextUniform(-1f, 1f);

        relu.Forward(conv.Forward(x, training: false), training: false);
        var expectedDx = relu.Backward(dy).Clone();
        ulong expectedRegion = relu.RegionFingerprint();

        model.Forward(x, training: false);
        Assert.Equal(expectedDx.ToArray(), relu.Backward(dy).ToArray());
        Assert.Equal(expectedRegion, relu.RegionFingerprint());
        model.Forward(x, training: true);
        Assert.Equal(expectedRegion, relu.RegionFingerprint());
        Assert.Equal(expectedDx.ToArray(), relu.Backward(dy).ToArray());

        model.Forward(x, training: false);
        conv.Forward(x, training: false);
        var error = Assert.Throws<InvalidOperationException>(() => relu.Backward(dy));
        Assert.Contains("has run again", error.Message);
    }
}
