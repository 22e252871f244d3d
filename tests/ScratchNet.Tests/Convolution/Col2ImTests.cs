using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

/// <summary>
/// col2im (Im2Col.Unpack) against its definition written out as four plain loops, bit for bit: each
/// input pixel receives its column entries in the order (kernel row, kernel column, output row,
/// output column), on odd strides and geometries, writing nothing outside its planes.
/// </summary>
[Trait("Category", "Kernels")]
public class Col2ImTests
{
    [Theory]
    [InlineData(3, 3, 12, 12, 5, 1, 0)]  // the second mnist-cnn layer's shape: 12 x 12 → 8 x 8
    [InlineData(2, 1, 10, 10, 3, 1, 0)]
    [InlineData(1, 2, 8, 8, 1, 1, 0)]
    [InlineData(2, 3, 16, 16, 9, 1, 0)]
    [InlineData(3, 2, 7, 12, 5, 1, 0)]    // not square: 3 x 8 outputs
    [InlineData(2, 3, 11, 11, 5, 1, 0)]
    [InlineData(2, 3, 12, 12, 5, 1, 2)]  // padding
    [InlineData(2, 2, 9, 9, 3, 2, 1)]
    [InlineData(1, 2, 13, 10, 3, 1, 0)]   // rows of 10 (8 + 2 stored one by one), 11 rows: a last group of 3
    [InlineData(2, 1, 9, 14, 7, 1, 0)]    // rows of 14 (8 + 4 + 2)
    public void UnpackAddsEachPixelsEntriesInOrder(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var g = new ConvGeometry(c, h, w, k, stride, pad);
        int columns = n * g.OutPlane, rowStride = columns + 5; // an odd stride, with a gap after each row
        var cols = Random(new Rng((ulong)(h * 31 + k)), g.PatchLength * rowStride);
        // Signed zeros and a NaN among the entries: a sum from +0 must come out as the loops give it.
        for (int e = 0; e < cols.Length; e += 7) cols[e] = e % 3 == 0 ? -0f : 0f;
        cols[cols.Length / 2] = float.NaN;
        const int offset = 3;
        var output = new float[offset + n * c * h * w + 4];
        Array.Fill(output, float.NaN);
        Im2Col.Unpack(cols, rowStride, n, g, output, offset);

        var expected = new float[n * c * h * w];
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                        for (int oh = 0; oh < g.OutHeight; oh++)
                            for (int ow = 0; ow < g.OutWidth; ow++)
                            {
                                int ih = oh * stride - pad + i, iw = ow * stride - pad + j;
                                if ((uint)ih >= (uint)h || (uint)iw >= (uint)w) continue;
                                int row = (ch * k + i) * k + j;
                                expected[((s * c + ch) * h + ih) * w + iw] += cols[row * rowStride + s * g.OutPlane + oh * g.OutWidth + ow];
                            }
        for (int e = 0; e < expected.Length; e++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[e]) == BitConverter.SingleToInt32Bits(output[offset + e]),
                $"pixel {e}: expected {expected[e]:R}, got {output[offset + e]:R}");
        Assert.True(float.IsNaN(output[offset - 1]) && float.IsNaN(output[offset + expected.Length]), "Unpack wrote outside its planes");
    }
}
