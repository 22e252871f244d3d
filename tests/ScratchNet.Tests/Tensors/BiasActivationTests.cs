using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// The fused bias-and-activation kernels against their scalar specifications and against the two
/// passes they replace, on odd sizes: the same bits, whatever the column ranges the work is cut into.
/// </summary>
[Trait("Category", "Kernels")]
public class BiasActivationTests
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 0, 7 }, { 1, 1 }, { 7, 7 }, { 33, 33 }, { 1, 257 }, { 257, 33 }, { 7, 257 }, { 33, 10 }, { 5, 600 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void AddRowVectorThenApplyGivesTheBitsOfItsSpecificationAndOfTheTwoPasses(int rows, int cols)
    {
        var z = RandomMatrix(rows, cols, 41);
        float[] bias = Random(cols, 42);
        var fastZ = z.Clone(); var fastY = new float[z.Length];
        TensorMath.AddRowVectorThenApply(new ReLU.Function(), fastZ.Span, bias, fastY, 0, cols);

        var scalarZ = z.Clone(); var scalarY = new float[z.Length];
        TensorMath.AddRowVectorThenApplyScalar(new ReLU.Function(), scalarZ.Span, bias, scalarY);
        AssertSameBits(scalarZ.Span, fastZ.Span, "AddRowVectorThenApply z");
        AssertSameBits(scalarY, fastY, "AddRowVectorThenApply y");

        var twoPassZ = z.Clone(); var twoPassY = new float[z.Length];
        TensorMath.AddRowVector(twoPassZ.Span, bias);
        Vectorized.Transform(new ReLU.Function(), twoPassZ.Span, twoPassY);
        AssertSameBits(twoPassZ.Span, fastZ.Span, "AddRowVector then ReLU, z");
        AssertSameBits(twoPassY, fastY, "AddRowVector then ReLU, y");

        var r = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[i * cols + j] = Math.Max(0, (double)z[i, j] + bias[j]);
        AssertClose(r, fastY, _ => Ulps(6, 1), "max(z + b, 0)");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void TransformSumOverRowsGivesTheBitsOfItsSpecificationAndOfTheTwoPasses(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 43);
        var dy = RandomMatrix(rows, cols, 44);
        var fastDx = new float[x.Length]; var fastSums = new float[cols];
        fastSums.AsSpan().Fill(99); // must be overwritten, not added to
        TensorMath.TransformSumOverRows(new ReLU.Gradient(), x.Span, dy.Span, fastDx, fastSums, 0, cols);

        var scalarDx = new float[x.Length]; var scalarSums = new float[cols];
        TensorMath.TransformSumOverRowsScalar(new ReLU.Gradient(), x.Span, dy.Span, scalarDx, scalarSums);
        AssertSameBits(scalarDx, fastDx, "TransformSumOverRows dx");
        AssertSameBits(scalarSums, fastSums, "TransformSumOverRows sums");

        var twoPassDx = new float[x.Length]; var twoPassSums = new float[cols];
        Vectorized.Transform(new ReLU.Gradient(), x.Span, dy.Span, twoPassDx);
        TensorMath.SumOverRows(twoPassDx, twoPassSums);
        AssertSameBits(twoPassDx, fastDx, "ReLU gradient then SumOverRows, dx");
        AssertSameBits(twoPassSums, fastSums, "ReLU gradient then SumOverRows, sums");

        var r = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[j] += x[i, j] > 0 ? dy[i, j] : 0;
        AssertClose(r, fastSums, _ => Ulps(3.0 * rows, rows + 2), "Σ_rows [x > 0] dy");
    }

    [Theory]
    [InlineData(33, 257, 16)]
    [InlineData(7, 33, 1)]
    [InlineData(5, 600, 48)]
    public void ColumnRangesGiveTheBitsOfOnePass(int rows, int cols, int cut)
    {
        var z = RandomMatrix(rows, cols, 45);
        float[] bias = Random(cols, 46);
        var wholeZ = z.Clone(); var wholeY = new float[z.Length];
        TensorMath.AddRowVectorThenApply(new ReLU.Function(), wholeZ.Span, bias, wholeY, 0, cols);
        var cutZ = z.Clone(); var cutY = new float[z.Length];
        TensorMath.AddRowVectorThenApply(new ReLU.Function(), cutZ.Span, bias, cutY, cut, cols);
        TensorMath.AddRowVectorThenApply(new ReLU.Function(), cutZ.Span, bias, cutY, 0, cut);
        AssertSameBits(wholeZ.Span, cutZ.Span, "z in two column ranges");
        AssertSameBits(wholeY, cutY, "y in two column ranges");

        var dy = RandomMatrix(rows, cols, 47);
        var wholeDx = new float[z.Length]; var wholeSums = new float[cols];
        TensorMath.TransformSumOverRows(new ReLU.Gradient(), wholeZ.Span, dy.Span, wholeDx, wholeSums, 0, cols);
        var cutDx = new float[z.Length]; var cutSums = new float[cols];
        TensorMath.TransformSumOverRows(new ReLU.Gradient(), wholeZ.Span, dy.Span, cutDx, cutSums, cut, cols);
        TensorMath.TransformSumOverRows(new ReLU.Gradient(), wholeZ.Span, dy.Span, cutDx, cutSums, 0, cut);
        AssertSameBits(wholeDx, cutDx, "dx in two column ranges");
        AssertSameBits(wholeSums, cutSums, "sums in two column ranges");
    }

    [Fact]
    public void RefusesAColumnRangeOutsideTheRowsAndPartialRows()
    {
        var z = new float[12]; var y = new float[12]; var b = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.AddRowVectorThenApply(new ReLU.Function(), z, b, y, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.AddRowVectorThenApply(new ReLU.Function(), z, b, y, 3, 2));
        Assert.Throws<ArgumentException>(() => TensorMath.AddRowVectorThenApply(new ReLU.Function(), z, new float[5], y, 0, 5));
        Assert.Throws<ArgumentException>(() => TensorMath.TransformSumOverRows(new ReLU.Gradient(), z, y, new float[8], b, 0, 4));
    }
}
