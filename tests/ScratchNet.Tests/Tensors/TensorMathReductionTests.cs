using ScratchNet.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Reductions over a span: close to a double reference (the vector path keeps partial sums, so it
/// rounds differently from the scalar loop) and bit-for-bit repeatable wherever the data lie.
/// </summary>
[Trait("Category", "Kernels")]
public class TensorMathReductionTests
{
    public static TheoryData<int> Sizes => SizeData();

    // A float sum of n terms is within about n ulps of Σ|terms|.
    private static double SumTolerance(int n, double sumOfMagnitudes) => Ulps(sumOfMagnitudes, n + 2);

    [Theory, MemberData(nameof(Sizes))]
    public void Sum(int n)
    {
        float[] x = Random(n, 21);
        double r = x.Sum(v => (double)v), mag = x.Sum(v => Math.Abs((double)v));
        Assert.InRange(TensorMath.Sum(x), r - SumTolerance(n, mag), r + SumTolerance(n, mag));
        Assert.InRange(TensorMath.SumScalar(x), r - SumTolerance(n, mag), r + SumTolerance(n, mag));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Dot(int n)
    {
        float[] x = Random(n, 22), y = Random(n, 23);
        double r = 0, mag = 0;
        for (int i = 0; i < n; i++) { r += (double)x[i] * y[i]; mag += Math.Abs((double)x[i] * y[i]); }
        Assert.InRange(TensorMath.Dot(x, y), r - SumTolerance(n, mag), r + SumTolerance(n, mag));
        Assert.InRange(TensorMath.DotScalar(x, y), r - SumTolerance(n, mag), r + SumTolerance(n, mag));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void SumOfSquares(int n)
    {
        float[] x = Random(n, 24);
        double r = x.Sum(v => (double)v * v);
        Assert.InRange(TensorMath.SumOfSquares(x), r - SumTolerance(n, r), r + SumTolerance(n, r));
        Assert.InRange(TensorMath.SumOfSquaresScalar(x), r - SumTolerance(n, r), r + SumTolerance(n, r));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void SumOfMagnitudes(int n)
    {
        float[] x = Random(n, 26);
        double r = x.Sum(v => Math.Abs((double)v));
        Assert.InRange(TensorMath.SumOfMagnitudes(x), r - SumTolerance(n, r), r + SumTolerance(n, r));
        Assert.InRange(TensorMath.SumOfMagnitudesScalar(x), r - SumTolerance(n, r), r + SumTolerance(n, r));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void MaxAbsAndMaxAreExact(int n)
    {
        float[] x = Random(n, 25);
        float maxAbs = n == 0 ? 0 : x.Max(MathF.Abs), max = n == 0 ? float.NegativeInfinity : x.Max();
        Assert.Equal(maxAbs, TensorMath.MaxAbs(x));
        Assert.Equal(maxAbs, TensorMath.MaxAbsScalar(x));
        Assert.Equal(max, TensorMath.Max(x));
        Assert.Equal(max, TensorMath.MaxScalar(x));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(40, 0)]
    [InlineData(40, 17)]
    [InlineData(40, 39)]
    public void MaxAndMaxAbsPropagateNaN(int n, int at)
    {
        float[] x = Random(n, 26);
        x[at] = float.NaN;
        Assert.True(float.IsNaN(TensorMath.Max(x)));
        Assert.True(float.IsNaN(TensorMath.MaxAbs(x)));
        Assert.True(float.IsNaN(TensorMath.MaxScalar(x)));
        Assert.True(float.IsNaN(TensorMath.MaxAbsScalar(x)));
    }

    [Fact]
    public void SumsGiveTheSameBitsWhereverTheDataLie()
    {
        // Copies of the same 1000 values at 16 different offsets (so different alignments).
        float[] x = Random(1000, 27), y = Random(1000, 28);
        var backing = new float[1100];
        var backingY = new float[1100];
        float sum0 = TensorMath.Sum(x), dot0 = TensorMath.Dot(x, y), sq0 = TensorMath.SumOfSquares(x);
        for (int offset = 0; offset < 16; offset++)
        {
            var xs = backing.AsSpan(offset, 1000); x.CopyTo(xs);
            var ys = backingY.AsSpan(15 - offset, 1000); y.CopyTo(ys);
            Assert.Equal(BitConverter.SingleToInt32Bits(sum0), BitConverter.SingleToInt32Bits(TensorMath.Sum(xs)));
            Assert.Equal(BitConverter.SingleToInt32Bits(dot0), BitConverter.SingleToInt32Bits(TensorMath.Dot(xs, ys)));
            Assert.Equal(BitConverter.SingleToInt32Bits(sq0), BitConverter.SingleToInt32Bits(TensorMath.SumOfSquares(xs)));
        }
    }
}
