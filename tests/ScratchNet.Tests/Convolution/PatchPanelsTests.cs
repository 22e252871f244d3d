using ScratchNet.Layers;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Convolution.DoubleReference;

namespace ScratchNet.Tests.Convolution;

/// <summary>
/// The panels PatchPanels hands the GEMM are exactly the written-out patch matrix of Im2Col.Pack (the
/// readable specification), in both orientations, on odd geometries, with padding and stride.
/// </summary>
[Trait("Category", "Kernels")]
public class PatchPanelsTests
{
    [Theory]
    [InlineData(2, 3, 7, 7, 3, 1, 0)]
    [InlineData(3, 2, 9, 7, 3, 2, 1)]
    [InlineData(2, 1, 28, 28, 5, 1, 0)]   // the first mnist-cnn layer: runs of 24 windows
    [InlineData(3, 4, 12, 12, 5, 1, 0)]   // the second: 8 x 8 blocks transposed in registers
    [InlineData(1, 2, 33, 17, 5, 1, 2)]
    [InlineData(2, 3, 6, 11, 1, 1, 0)]
    [InlineData(3, 2, 11, 12, 4, 1, 0)]   // output rows of 9: a whole vector and an overlapping one
    [InlineData(2, 1, 20, 20, 5, 1, 0)]   // rows of 16: two vectors
    [InlineData(1, 2, 21, 21, 5, 1, 0)]   // rows of 17
    [InlineData(3, 1, 6, 10, 3, 1, 0)]    // rows of 8, 4 x 8 = 32 windows a sample: panels end inside a sample
    [InlineData(2, 2, 8, 13, 2, 1, 0)]    // rows of 12
    public unsafe void PanelsMatchTheWrittenOutPatchMatrix(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var g = new ConvGeometry(c, h, w, k, stride, pad);
        var x = Random(new Rng(7), n * c * h * w);
        int rows = g.PatchLength, columns = n * g.OutPlane;
        var cols = new float[rows * columns];
        Im2Col.Pack(x, 0, n, g, cols, 0, columns);
        const int width = 32;
        var panel = new float[width * Math.Max(rows, columns)];
        foreach (int first in new[] { 0, g.OutPlane })
        {
            if (first >= columns) continue;
            fixed (float* dst = panel)
            {
                // Not transposed: op(B)[r, col] = cols[r, first + col], panels of 32 columns, K from 1.
                var source = new PatchPanels().Set(x, 0, g, first, transposed: false);
                for (int j0 = 0; j0 < columns - first; j0 += width)
                {
                    int count = Math.Min(width, columns - first - j0);
                    source.PackPanel(1, rows - 1, j0, count, dst, width);
                    for (int q = 0; q < rows - 1; q++)
                        for (int t = 0; t < width; t++)
                            Assert.Equal(t < count ? cols[(1 + q) * columns + first + j0 + t] : 0f, panel[q * width + t]);
                }
                // Transposed: op(B)[col, r] = cols[r, first + col], panels of 32 rows of cols.
                var rowsSource = new PatchPanels().Set(x, 0, g, first, transposed: true);
                int kc = columns - first;
                for (int j0 = 0; j0 < rows; j0 += width)
                {
                    int count = Math.Min(width, rows - j0);
                    rowsSource.PackPanel(0, kc, j0, count, dst, width);
                    for (int q = 0; q < kc; q++)
                        for (int t = 0; t < width; t++)
                            Assert.Equal(t < count ? cols[(j0 + t) * columns + first + q] : 0f, panel[q * width + t]);
                }
            }
        }
    }
}
