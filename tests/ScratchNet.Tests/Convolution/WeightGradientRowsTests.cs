using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Convolution;

/// <summary>
/// The weight gradient of a 5 x 5 convolution with channels in 64s (stride 1, no padding), summed tap
/// row by tap row from the input in place, against its specification: each dW[o, k] sums
/// dY[o, q] · cols[k, q] over the positions q in order with fused multiply-adds from zero, restarting at
/// every K chunk of the GEMM (Gemm.Blocks.KC positions) and adding each chunk's sum to the ones before,
/// the bits of the GEMM dY · colsᵀ it replaces. Cases: a chunk boundary inside a sample, two chunks
/// of whole samples (the second mnist-cnn layer's shape), two groups of 64 channels, one thread and two.
/// </summary>
[Trait("Category", "Kernels")]
public class WeightGradientRowsTests
{
    [FusedGemmTheory]
    [InlineData(3, 13, 12, 64, 15, 1)]  // 72 positions a sample: the first chunk ends inside sample 14
    [InlineData(3, 13, 12, 64, 15, 2)]
    [InlineData(32, 12, 12, 64, 17, 2)] // the second mnist-cnn layer: 64 positions a sample, 1,088 in all
    [InlineData(1, 9, 9, 128, 3, 1)]    // two groups of 64 channels
    [InlineData(2, 5, 12, 64, 1, 2)]    // one output row
    public void TheWeightGradientIsTheGemmsChunkedSum(int channels, int height, int width, int outChannels, int batch, int threads)
    {
        using var scope = Compute.UseThreads(threads);
        const int k = 5;
        var conv = new Conv2D(outChannels, k);
        conv.Build([channels, height, width], new Rng(11));
        var rng = new Rng(12);
        var x = new Tensor(batch, channels, height, width);
        foreach (ref float v in x.Span) v = rng.NextUniform(-1f, 1f);
        conv.Forward(x, training: true);
        int outH = height - k + 1, outW = width - k + 1, p = outH * outW, np = batch * p, kk = channels * k * k;
        var dy = new Tensor(batch, outChannels, outH, outW);
        foreach (ref float v in dy.Span) v = rng.NextUniform(-1f, 1f);
        var earlier = new Tensor(dy.ShapeArray());
        foreach (ref float v in earlier.Span) v = rng.NextUniform(-1f, 1f);
        conv.Backward(earlier); // a step before: its sums must not carry over
        conv.Backward(dy);
        float[] dW = conv.Parameters[0].Gradient.ToArray();

        int kc = Gemm.Blocks.KC;
        var spec = new float[outChannels * kk];
        for (int o = 0; o < outChannels; o++)
            for (int r = 0; r < kk; r++)
            {
                int c = r / (k * k), i = r / k % k, j = r % k;
                float total = 0f;
                for (int q0 = 0; q0 < np; q0 += kc)
                {
                    float sum = 0f;
                    for (int q = q0; q < Math.Min(q0 + kc, np); q++)
                    {
                        int n = q / p, oh = q % p / outW, ow = q % outW;
                        float patch = x.Span[((n * channels + c) * height + oh + i) * width + ow + j];
                        sum = MathF.FusedMultiplyAdd(dy.Span[(n * outChannels + o) * p + q % p], patch, sum);
                    }
                    total = q0 == 0 ? sum : sum + total;
                }
                spec[o * kk + r] = total;
            }
        Assert.Equal(spec.Select(BitConverter.SingleToInt32Bits), dW.Select(BitConverter.SingleToInt32Bits));
    }
}
