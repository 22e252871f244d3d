using ScratchNet.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>Row-wise kernels on matrix shapes with odd row and column counts, empty ones included.</summary>
[Trait("Category", "Kernels")]
public class TensorMathRowTests
{
    public static TheoryData<int, int> Shapes => ShapeData();

    [Theory, MemberData(nameof(Shapes))]
    public void AddRowVector(int rows, int cols)
    {
        var m = RandomMatrix(rows, cols, 31);
        float[] row = Random(cols, 32);
        var fast = m.Clone(); var scalar = m.Clone();
        TensorMath.AddRowVector(fast, row);
        TensorMath.AddRowVectorScalar(scalar, row);
        AssertSameBits(scalar.Span, fast.Span, "AddRowVector");
        var r = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[i * cols + j] = (double)m[i, j] + row[j];
        AssertClose(r, fast.Span, _ => Ulps(6, 1), "AddRowVector");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void AddColumnVector(int rows, int cols)
    {
        var m = RandomMatrix(rows, cols, 33);
        float[] column = Random(rows, 34);
        var fast = m.Clone(); var scalar = m.Clone();
        TensorMath.AddColumnVector(fast, column);
        TensorMath.AddColumnVectorScalar(scalar, column);
        AssertSameBits(scalar.Span, fast.Span, "AddColumnVector");
        var r = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[i * cols + j] = (double)m[i, j] + column[i];
        AssertClose(r, fast.Span, _ => Ulps(6, 1), "AddColumnVector");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void SumOverRowsGivesTheScalarBits(int rows, int cols)
    {
        var m = RandomMatrix(rows, cols, 35);
        var fast = new float[cols]; var scalar = new float[cols];
        fast.AsSpan().Fill(99); // must be overwritten, not added to
        TensorMath.SumOverRows(m, fast);
        TensorMath.SumOverRowsScalar(m, scalar);
        AssertSameBits(scalar, fast, "SumOverRows");
        var r = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[j] += m[i, j];
        AssertClose(r, fast, _ => Ulps(3.0 * rows, rows + 2), "SumOverRows");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void SumOverColumns(int rows, int cols)
    {
        var m = RandomMatrix(rows, cols, 36);
        var fast = new float[rows]; var scalar = new float[rows];
        TensorMath.SumOverColumns(m, fast);
        TensorMath.SumOverColumnsScalar(m, scalar);
        var r = new double[rows];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) r[i] += m[i, j];
        AssertClose(r, fast, _ => Ulps(3.0 * cols, cols + 2), "SumOverColumns");
        AssertClose(r, scalar, _ => Ulps(3.0 * cols, cols + 2), "SumOverColumnsScalar");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void MaxRows(int rows, int cols)
    {
        var m = RandomMatrix(rows, cols, 37);
        var fast = new float[rows]; var scalar = new float[rows];
        TensorMath.MaxRows(m, fast);
        TensorMath.MaxRowsScalar(m, scalar);
        AssertSameBits(scalar, fast, "MaxRows");
        for (int i = 0; i < rows; i++)
            Assert.Equal(cols == 0 ? float.NegativeInfinity : m.Row(i).ToArray().Max(), fast[i]);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ArgmaxRows(int rows, int cols)
    {
        // Coarse values (multiples of 0.5 in [-3, 3]) so that ties are common.
        var m = RandomMatrix(rows, cols, 38);
        foreach (ref float v in m.Span) v = MathF.Round(v * 2) / 2;
        var fast = new int[rows]; var scalar = new int[rows];
        TensorMath.ArgmaxRows(m, fast);
        TensorMath.ArgmaxRowsScalar(m, scalar);
        Assert.Equal(scalar, fast);
        for (int i = 0; i < rows; i++)
        {
            var row = m.Row(i).ToArray();
            Assert.Equal(cols == 0 ? 0 : Array.IndexOf(row, row.Max()), fast[i]);
        }
    }

    [Theory]
    [InlineData(new float[] { 1, 3, 3, 2 }, 1)]
    [InlineData(new float[] { 5, 5, 5 }, 0)]
    [InlineData(new float[] { -0f, 0f }, 0)]
    [InlineData(new float[] { float.NaN, 1, 2 }, 0)]
    [InlineData(new float[] { float.NegativeInfinity, float.NaN, float.NegativeInfinity }, 0)]
    public void ArgmaxTiesPickTheFirstAndNaNNeverWinsLater(float[] row, int expected)
    {
        // The same row alone, and padded to 40 columns with -inf so the vector path runs.
        var padded = new float[40];
        padded.AsSpan().Fill(float.NegativeInfinity);
        row.CopyTo(padded, 17);
        padded[39] = float.NaN;
        foreach (var (data, offset) in new[] { (row, 0), (padded, 17) })
        {
            var m = new Tensor(data, 1, data.Length);
            var fast = new int[1]; var scalar = new int[1];
            TensorMath.ArgmaxRows(m, fast);
            TensorMath.ArgmaxRowsScalar(m, scalar);
            Assert.Equal(scalar[0], fast[0]);
            if (offset == 0) Assert.Equal(expected, fast[0]);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void SoftmaxRows(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 39, scale: 8);
        var fast = new Tensor(rows, cols); var scalar = new Tensor(rows, cols);
        TensorMath.SoftmaxRows(x, fast);
        TensorMath.SoftmaxRowsScalar(x, scalar);
        for (int i = 0; i < rows; i++)
        {
            var r = Softmax(x.Row(i));
            // A few ulps for exp and the scale, plus the rounding of a float sum of cols terms.
            double ulps = 8 + 2 * Math.Sqrt(cols);
            AssertClose(r, fast.Row(i), j => Ulps(r[j], ulps) + 1e-12, "SoftmaxRows");
            AssertClose(r, scalar.Row(i), j => Ulps(r[j], ulps) + 1e-12, "SoftmaxRowsScalar");
            if (cols > 0) Assert.InRange(TensorMath.Sum(fast.Row(i)), 1 - 1e-5, 1 + 1e-5);
        }
        // In place.
        var inPlace = x.Clone();
        TensorMath.SoftmaxRows(inPlace, inPlace);
        AssertSameBits(fast.Span, inPlace.Span, "SoftmaxRows in place");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void LogSoftmaxRows(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 40, scale: 8);
        var fast = new Tensor(rows, cols); var scalar = new Tensor(rows, cols);
        TensorMath.LogSoftmaxRows(x, fast);
        TensorMath.LogSoftmaxRowsScalar(x, scalar);
        for (int i = 0; i < rows; i++)
        {
            var r = LogSoftmax(x.Row(i));
            AssertClose(r, fast.Row(i), j => 2e-6 * (Math.Abs(r[j]) + 8), "LogSoftmaxRows");
            AssertClose(r, scalar.Row(i), j => 2e-6 * (Math.Abs(r[j]) + 8), "LogSoftmaxRowsScalar");
        }
        var inPlace = x.Clone();
        TensorMath.LogSoftmaxRows(inPlace, inPlace);
        AssertSameBits(fast.Span, inPlace.Span, "LogSoftmaxRows in place");
    }

    [Fact]
    public void SoftmaxIsStableForHugeLogits()
    {
        float[] row = [1e4f, -1e4f, 0, 1e4f - 1, -1e4f, 1e4f];
        var padded = new float[2 * 37];
        for (int j = 0; j < padded.Length; j++) padded[j] = row[j % row.Length];
        foreach (var (data, rows) in new[] { (row, 1), (padded, 2) })
        {
            var x = new Tensor(data, rows, data.Length / rows);
            var p = new Tensor(x.ShapeArray()); var logp = new Tensor(x.ShapeArray());
            TensorMath.SoftmaxRows(x, p);
            TensorMath.LogSoftmaxRows(x, logp);
            Assert.All(p.ToArray(), v => Assert.True(float.IsFinite(v) && v >= 0 && v <= 1));
            Assert.All(logp.ToArray(), v => Assert.True(float.IsFinite(v) && v <= 0));
            for (int i = 0; i < rows; i++)
            {
                Assert.InRange(TensorMath.Sum(p.Row(i)), 1 - 1e-6, 1 + 1e-6);
                var r = LogSoftmax(x.Row(i));
                AssertClose(r, logp.Row(i), j => 1e-6 * (Math.Abs(r[j]) + 1), "LogSoftmaxRows, huge logits");
                AssertClose(Softmax(x.Row(i)), p.Row(i), j => 1e-6, "SoftmaxRows, huge logits");
            }
        }
    }

    [Fact]
    public void LogSoftmaxIsTheLogOfSoftmaxWhereTheProbabilityIsNotTiny()
    {
        var x = RandomMatrix(9, 45, 41, scale: 5);
        var p = new Tensor(9, 45); var logp = new Tensor(9, 45);
        TensorMath.SoftmaxRows(x, p);
        TensorMath.LogSoftmaxRows(x, logp);
        for (int k = 0; k < p.Length; k++)
            if (p[k] > 1e-30f) Assert.InRange(logp[k] - MathF.Log(p[k]), -2e-5f * (1 + MathF.Abs(logp[k])), 2e-5f * (1 + MathF.Abs(logp[k])));
    }

    [Theory, MemberData(nameof(Shapes))]
    public void SoftmaxRowsBackward(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 42);
        var y = new Tensor(rows, cols);
        TensorMath.SoftmaxRows(x, y);
        var g = RandomMatrix(rows, cols, 43);
        var fast = new Tensor(rows, cols); var scalar = new Tensor(rows, cols);
        TensorMath.SoftmaxRowsBackward(y, g, fast);
        TensorMath.SoftmaxRowsBackwardScalar(y, g, scalar);
        for (int i = 0; i < rows; i++)
        {
            // dx_j = Σ_k (∂y_k/∂x_j) g_k with ∂y_k/∂x_j = y_k (δ_kj − y_j), written out as the full Jacobian.
            var r = new double[cols];
            for (int j = 0; j < cols; j++)
                for (int k = 0; k < cols; k++)
                    r[j] += (double)y[i, k] * ((k == j ? 1 : 0) - (double)y[i, j]) * g[i, k];
            AssertClose(r, fast.Row(i), _ => 1e-5 * (cols + 1), "SoftmaxRowsBackward");
            AssertClose(r, scalar.Row(i), _ => 1e-5 * (cols + 1), "SoftmaxRowsBackwardScalar");
        }
        var inPlace = g.Clone();
        TensorMath.SoftmaxRowsBackward(y, inPlace, inPlace);
        AssertSameBits(fast.Span, inPlace.Span, "SoftmaxRowsBackward in place");
    }

    [Theory, MemberData(nameof(Shapes))]
    public void LogSoftmaxRowsBackward(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 45);
        var y = new Tensor(rows, cols);
        TensorMath.LogSoftmaxRows(x, y);
        var g = RandomMatrix(rows, cols, 46);
        var fast = new Tensor(rows, cols); var scalar = new Tensor(rows, cols);
        TensorMath.LogSoftmaxRowsBackward(y, g, fast);
        TensorMath.LogSoftmaxRowsBackwardScalar(y, g, scalar);
        for (int i = 0; i < rows; i++)
        {
            // dx_j = Σ_k (∂y_k/∂x_j) g_k with ∂y_k/∂x_j = δ_kj − p_j, p = softmax(x) in double.
            var p = Softmax(x.Row(i));
            var r = new double[cols];
            for (int j = 0; j < cols; j++)
                for (int k = 0; k < cols; k++)
                    r[j] += ((k == j ? 1 : 0) - p[j]) * g[i, k];
            AssertClose(r, fast.Row(i), _ => 1e-5 * (cols + 1), "LogSoftmaxRowsBackward");
            AssertClose(r, scalar.Row(i), _ => 1e-5 * (cols + 1), "LogSoftmaxRowsBackwardScalar");
        }
        var inPlace = g.Clone();
        TensorMath.LogSoftmaxRowsBackward(y, inPlace, inPlace);
        AssertSameBits(fast.Span, inPlace.Span, "LogSoftmaxRowsBackward in place");
    }

    [Theory, MemberData(nameof(Shapes))]
    [InlineData(8, 8)]
    [InlineData(9, 17)]
    [InlineData(45, 70)]
    [InlineData(64, 96)]
    [InlineData(100, 3)]
    public void Transpose(int rows, int cols)
    {
        var x = RandomMatrix(rows, cols, 44);
        var fast = new Tensor(cols, rows); var scalar = new Tensor(cols, rows);
        TensorMath.Transpose(x, fast);
        TensorMath.TransposeScalar(x, scalar);
        AssertSameBits(scalar.Span, fast.Span, "Transpose");
        var fromSpan = new float[rows * cols + 3]; // the span form, into the front of a longer buffer
        TensorMath.Transpose(x.Span, rows, cols, fromSpan);
        AssertSameBits(scalar.Span, fromSpan.AsSpan(0, rows * cols), "Transpose (spans)");
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(x[i, j], fast[j, i]);
    }

    [Fact]
    public void TransposeRefusesWrongShapesAndSharedMemory()
    {
        var x = new Tensor(3, 5);
        var e = Assert.Throws<ShapeMismatchException>(() => TensorMath.Transpose(x, new Tensor(3, 5)));
        Assert.Contains("(3, 5)", e.Message);
        var big = new Tensor(30);
        var a = big.Reshape(6, 5).SliceRows(0, 3);
        var b = big.Reshape(6, 5).SliceRows(2, 3).Reshape(5, 3);
        Assert.Throws<ArgumentException>(() => TensorMath.Transpose(a, b));
        TensorMath.Transpose(a, big.Reshape(6, 5).SliceRows(3, 3).Reshape(5, 3)); // disjoint halves are fine
        var buffer = new float[30];
        Assert.Throws<ArgumentException>(() => TensorMath.Transpose(buffer.AsSpan(0, 15), 3, 5, buffer.AsSpan(10, 15)));
        Assert.Throws<ArgumentException>(() => TensorMath.Transpose(buffer.AsSpan(0, 14), 3, 5, buffer.AsSpan(15, 15)));
        TensorMath.Transpose(buffer.AsSpan(0, 15), 3, 5, buffer.AsSpan(15, 15));
    }

    [Fact]
    public void RowKernelsRefuseWrongLengths()
    {
        var m = new Tensor(4, 6);
        var e = Assert.Throws<ArgumentException>(() => TensorMath.AddRowVector(m, new float[4]));
        Assert.Contains("AddRowVector: row has 4 elements, expected 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => TensorMath.AddColumnVector(m, new float[6]));
        Assert.Contains("AddColumnVector: column has 6 elements, expected 4", e.Message);
        Assert.Throws<ShapeMismatchException>(() => TensorMath.SoftmaxRows(m, new Tensor(6, 4)));
        Assert.Throws<ShapeMismatchException>(() => TensorMath.SoftmaxRowsBackward(m, m, new Tensor(24)));
    }
}
