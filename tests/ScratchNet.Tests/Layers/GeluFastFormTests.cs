using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using ScratchNet.Tests.Tensors;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// GELU's vector forms (float32) against its scalar Invoke (double, the specification), on a dense grid
/// across the range where y is a normal float and on odd lengths: within 4 ulps plus 1e-6 (1 + x²/2)
/// relative (of the smallest normal float where |y| is below it), the bound its docs state. For the gradient the relative part is taken of |Φ(x)| + |x φ(x)|,
/// the size of the terms that cancel near x = -0.75 where the derivative crosses zero.
/// </summary>
[Trait("Category", "Kernels")]
public class GeluFastFormTests(ITestOutputHelper output)
{
    private static float[] Grid()
    {
        var x = new List<float>();
        for (int i = -14_000; i <= 14_000; i++) x.Add(i * 1e-3f);
        for (float v = 1e-30f; v < 1e-3f; v *= 3.7f) { x.Add(v); x.Add(-v); }
        x.Add(float.PositiveInfinity); x.Add(float.NegativeInfinity); x.Add(float.NaN); x.Add(-0f); x.Add(100f); x.Add(-100f);
        x.Add(1e30f); x.Add(-1e30f);
        for (ulong b = 0x00800000; b <= 0x7F7FFFFF; b += 40009) // every 40009th float across the range, both signs
        {
            x.Add(BitConverter.UInt32BitsToSingle((uint)b));
            x.Add(-BitConverter.UInt32BitsToSingle((uint)b));
        }
        return x.ToArray();
    }

    private static double Ulp(float v) => v == 0 ? float.Epsilon : MathF.BitIncrement(MathF.Abs(v)) - MathF.Abs(v);

    // Below the smallest normal float the relative part is taken of that (an error of 1e-43 in a subnormal y is no error).
    private static double Bound(float x, double size, float spec) => 4 * Ulp(spec) + 1e-6 * (1 + 0.5 * (double)x * x) * Math.Max(size, MinNormal);

    private const double MinNormal = 1.1754944e-38;

    private static void Check(float x, float spec, float fast, double bound, string what, ref double worst)
    {
        bool ok = float.IsNaN(spec) ? float.IsNaN(fast) : float.IsInfinity(spec) ? fast == spec : Math.Abs((double)fast - spec) <= bound;
        Assert.True(ok, $"{what}({x:R}): the vector form gives {fast:R}, the scalar form {spec:R} (bound {bound:G3}).");
        if (float.IsFinite(spec) && bound > 0) worst = Math.Max(worst, Math.Abs((double)fast - spec) / bound);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void VectorFormsStayWithinTheirBoundOfTheDoubleSpecification(int shift)
    {
        var x = Grid()[shift..]; // odd lengths and alignments: the scalar tail and every vector width
        var fast = new float[x.Length];
        Vectorized.Transform(new GELU.Function(), x, fast);
        var dy = new float[x.Length];
        var rng = new Rng(5);
        for (int i = 0; i < dy.Length; i++) dy[i] = i % 3 == 0 ? 1f : (float)rng.NextGaussian();
        var fastGradient = new float[x.Length];
        Vectorized.Transform(new GELU.Gradient(), x, dy, fastGradient);
        var inPlace = (float[])x.Clone();
        Vectorized.Transform(new GELU.Function(), inPlace, inPlace);
        TensorMathReference.AssertSameBits(fast, inPlace, "GELU in place");
        double worstY = 0, worstGradient = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float spec = new GELU.Function().Invoke(x[i]);
            Check(x[i], spec, fast[i], Bound(x[i], Math.Abs(spec), spec), "GELU", ref worstY);
            double xd = x[i], terms = (ErrorFunction.NormalCdf(xd) + Math.Abs(xd * ErrorFunction.NormalPdf(xd))) * Math.Abs(dy[i]);
            float specGradient = new GELU.Gradient().Invoke(x[i], dy[i]);
            Check(x[i], specGradient, fastGradient[i], Bound(x[i], terms, specGradient), "GELU gradient", ref worstGradient);
        }
        output.WriteLine($"largest error over its bound: y {worstY:F3}, gradient {worstGradient:F3}");
    }
}
