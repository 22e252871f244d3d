using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Convolution;

/// <summary>
/// The direct kernel of a one-channel convolution (stride 1, no padding) against the im2col + GEMM
/// product it replaces: the same bits, on odd channel counts (the 8-channel blocks and the rest),
/// kernel sides and output widths (whole 16-column vectors and an overlapping last one), and against
/// its scalar specification.
/// </summary>
[Trait("Category", "Kernels")]
public class DirectConvolutionTests
{
    [Theory]
    [InlineData(1, 1, 1, 16)]
    [InlineData(7, 3, 1, 17)]
    [InlineData(8, 5, 5, 24)]
    [InlineData(33, 5, 13, 24)]
    [InlineData(33, 3, 5, 31)]
    [InlineData(32, 5, 24, 24)] // the mnist-cnn first layer
    public void ForwardDirectGivesTheBitsOfItsSpecification(int outChannels, int k, int outHeight, int outWidth)
    {
        var (x, w, width) = Case(outChannels, k, outHeight, outWidth);
        int kk = k * k, plane = outHeight * outWidth;
        var direct = new float[outChannels * plane];
        Conv2D.ForwardDirect(x, width, w, k, outChannels, outHeight, outWidth, direct);

        // Its specification: each output's k·k products in (i, j) order, fused multiply-adds from zero.
        var spec = new float[outChannels * plane];
        for (int o = 0; o < outChannels; o++)
            for (int oh = 0; oh < outHeight; oh++)
                for (int ow = 0; ow < outWidth; ow++)
                {
                    float sum = 0f;
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++)
                            sum = MathF.FusedMultiplyAdd(w[o * kk + i * k + j], x[(oh + i) * width + ow + j], sum);
                    spec[o * plane + oh * outWidth + ow] = sum;
                }
        Assert.Equal(spec.Select(BitConverter.SingleToInt32Bits), direct.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>
    /// The GEMM's vector kernels sum with fused multiply-adds in the same order, so im2col + GEMM gives
    /// the same bits (the layer uses the direct kernel only beside the 512-bit one; where SIMD is off,
    /// the scalar fallback kernel does not fuse, and this is a visible skip).
    /// </summary>
    [FusedGemmTheory]
    [InlineData(1, 1, 1, 16)]
    [InlineData(7, 3, 1, 17)]
    [InlineData(8, 5, 5, 24)]
    [InlineData(33, 5, 13, 24)]
    [InlineData(33, 3, 5, 31)]
    [InlineData(32, 5, 24, 24)] // the mnist-cnn first layer
    public void ForwardDirectGivesTheBitsOfTheGemm(int outChannels, int k, int outHeight, int outWidth)
    {
        var (x, w, width) = Case(outChannels, k, outHeight, outWidth);
        int height = outHeight + k - 1, kk = k * k, plane = outHeight * outWidth;
        var direct = new float[outChannels * plane];
        Conv2D.ForwardDirect(x, width, w, k, outChannels, outHeight, outWidth, direct);

        var g = new ConvGeometry(1, height, width, k, 1, 0);
        var cols = new float[kk * plane];
        Im2Col.Pack(x, 0, 1, g, cols, 0, plane);
        var gemm = new float[outChannels * plane];
        Gemm.Multiply(false, false, outChannels, plane, kk, 1f, w, kk, cols, plane, 0f, gemm, plane);

        Assert.Equal(gemm.Select(BitConverter.SingleToInt32Bits), direct.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>A seeded input of one channel (with a NaN, which must go where the GEMM sends it) and weights.</summary>
    private static (float[] X, float[] W, int Width) Case(int outChannels, int k, int outHeight, int outWidth)
    {
        int height = outHeight + k - 1, width = outWidth + k - 1, kk = k * k;
        var rng = new Rng((ulong)(outChannels * 1000 + k * 100 + outWidth));
        var x = new float[height * width];
        var w = new float[outChannels * kk];
        foreach (ref float v in x.AsSpan()) v = rng.NextUniform(-2f, 2f);
        foreach (ref float v in w.AsSpan()) v = rng.NextUniform(-1f, 1f);
        x[0] = float.NaN;
        return (x, w, width);
    }
}
