using ScratchNet.Layers;
using ScratchNet.Tests.Tensors;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// LayerNorm's row kernels, vector forms against their scalar specifications on odd widths (the
/// scalar tail alone, one vector and a tail, many vectors): element-wise results the same bits, sums
/// in double within 1e-14 relative of the sum of magnitudes (the same terms added in another order).
/// </summary>
[Trait("Category", "Kernels")]
public class LayerNormRowsTests
{
    public static TheoryData<int> Widths => [1, 7, 8, 9, 33, 128, 130];

    private static float[] Random(int n, ulong seed, float shift = 0)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, n).Select(_ => (float)rng.NextGaussian() * 3 + shift).ToArray();
    }

    private static void AssertClose(double expected, double actual, double magnitude, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-14 * magnitude, $"{what}: {actual:R}, the scalar form gives {expected:R}.");

    [Theory, MemberData(nameof(Widths))]
    public void ForwardKernelsMatchTheirSpecification(int c)
    {
        var x = Random(c, 1, shift: 5);
        AssertClose(LayerNormRows.SumScalar(x), LayerNormRows.Sum(x), x.Sum(v => Math.Abs((double)v)), "sum");
        float mean = (float)(LayerNormRows.SumScalar(x) / c);
        float[] fast = new float[c], spec = new float[c];
        double squares = LayerNormRows.CenterAndSumSquares(x, mean, fast);
        double squaresSpec = LayerNormRows.CenterAndSumSquaresScalar(x, mean, spec);
        TensorMathReference.AssertSameBits(spec, fast, "x - mean");
        AssertClose(squaresSpec, squares, squaresSpec, "sum of squares");
        float[] gamma = Random(c, 2), beta = Random(c, 3), y = new float[c], ySpec = new float[c];
        LayerNormRows.ScaleThenAffine(fast, 0.37f, gamma, beta, y);
        LayerNormRows.ScaleThenAffineScalar(spec, 0.37f, gamma, beta, ySpec);
        TensorMathReference.AssertSameBits(spec, fast, "x̂");
        TensorMathReference.AssertSameBits(ySpec, y, "y");
    }

    [Theory, MemberData(nameof(Widths))]
    public void BackwardKernelsMatchTheirSpecification(int c)
    {
        float[] g = Random(c, 4), xhat = Random(c, 5);
        var (sum, dot) = LayerNormRows.SumAndDot(g, xhat);
        var (sumSpec, dotSpec) = LayerNormRows.SumAndDotScalar(g, xhat);
        AssertClose(sumSpec, sum, g.Sum(v => Math.Abs((double)v)), "Σ g");
        AssertClose(dotSpec, dot, g.Zip(xhat).Sum(p => Math.Abs((double)p.First * p.Second)), "Σ g x̂");
        float[] fast = (float[])g.Clone(), spec = (float[])g.Clone();
        LayerNormRows.NormalizeGradient(fast, xhat, 0.3f, -0.7f, 1.9f);
        LayerNormRows.NormalizeGradientScalar(spec, xhat, 0.3f, -0.7f, 1.9f);
        TensorMathReference.AssertSameBits(spec, fast, "dx");
    }
}

/// <summary>LayerNorm's rows split over threads: one and two threads give the same bits, forward and backward.</summary>
public class LayerNormThreadTests
{
    [Fact]
    public void OneAndTwoThreadsGiveTheSameBits()
    {
        // 201 rows of 130: enough values for two parts, an odd number of rows and a width with a scalar tail.
        var x = DoubleGradient.Random(1, 2f, 3, 67, 130);
        var dy = DoubleGradient.Random(2, 1f, 3, 67, 130);
        (float[] Y, float[] Dx, float[] DGamma, float[] DBeta) Run(int threads)
        {
            using var scope = Compute.UseThreads(threads);
            var norm = new LayerNorm();
            norm.Build([67, 130], new Rng(3));
            var rng = new Rng(4);
            foreach (ref float g in norm.Gamma.Value.Span) g = 1f + 0.1f * (float)rng.NextGaussian();
            var y = norm.Forward(x, training: true).ToArray();
            var dx = norm.Backward(dy).ToArray();
            return (y, dx, norm.Gamma.Gradient.ToArray(), norm.Beta.Gradient.ToArray());
        }
        var one = Run(1);
        var two = Run(2);
        TensorMathReference.AssertSameBits(one.Y, two.Y, "y");
        TensorMathReference.AssertSameBits(one.Dx, two.Dx, "dx");
        TensorMathReference.AssertSameBits(one.DGamma, two.DGamma, "dγ");
        TensorMathReference.AssertSameBits(one.DBeta, two.DBeta, "dβ");
    }
}
