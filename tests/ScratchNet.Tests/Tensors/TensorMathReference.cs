using ScratchNet.Tensors;
namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Reference results for TensorMath, computed in double from the formulas in its XML docs, and the
/// test data and comparisons the kernel tests share.
/// </summary>
internal static class TensorMathReference
{
    /// <summary>The odd sizes every kernel is tried on (empty, one, below, above and far above a vector).</summary>
    public static readonly int[] Sizes = [0, 1, 7, 16, 33, 257];

    public static TheoryData<int> SizeData()
    {
        var d = new TheoryData<int>();
        foreach (int n in Sizes) d.Add(n);
        return d;
    }

    /// <summary>Matrix shapes for the row-wise kernels.</summary>
    public static TheoryData<int, int> ShapeData() => new()
    {
        { 7, 33 }, { 257, 7 }, { 1, 257 }, { 0, 5 }, { 5, 0 }, { 33, 1 }, { 64, 10 }, { 3, 600 }, { 2, 2100 },
    };

    public static float[] Random(int n, ulong seed, float scale = 3f)
    {
        var rng = new Rng(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.NextUniform(-scale, scale);
        return a;
    }

    public static Tensor RandomMatrix(int rows, int cols, ulong seed, float scale = 3f) =>
        new(Random(rows * cols, seed, scale), rows, cols);

    public static double[] Softmax(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (float v in row) max = Math.Max(max, v);
        var e = new double[row.Length];
        double sum = 0;
        for (int j = 0; j < row.Length; j++) { e[j] = Math.Exp(row[j] - max); sum += e[j]; }
        for (int j = 0; j < row.Length; j++) e[j] /= sum;
        return e;
    }

    public static double[] LogSoftmax(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (float v in row) max = Math.Max(max, v);
        double sum = 0;
        foreach (float v in row) sum += Math.Exp(v - max);
        double logSum = max + Math.Log(sum);
        var r = new double[row.Length];
        for (int j = 0; j < row.Length; j++) r[j] = row[j] - logSum;
        return r;
    }

    /// <summary>Same bits (NaN payloads aside), element by element: the vector path against its scalar specification.</summary>
    public static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i])
                : BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
            if (!same) Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, the scalar loop gives {expected[i]:R}.");
        }
    }

    /// <summary>
    /// Within <paramref name="ulps"/> units in the last place of the expected float, element by
    /// element; infinities, NaNs and zeros must match exactly (NaN payloads aside).
    /// </summary>
    public static void AssertWithinUlps(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double ulps, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            bool ok;
            if (float.IsNaN(e) || float.IsInfinity(e) || e == 0) ok = float.IsNaN(e) ? float.IsNaN(a) : a == e;
            else
            {
                double spacing = MathF.BitIncrement(MathF.Abs(e)) - MathF.Abs(e);
                ok = Math.Abs((double)a - e) <= ulps * spacing;
            }
            if (!ok) Assert.Fail($"{what}: element {i} of {expected.Length} is {a:R}, the scalar Invoke gives {e:R} (tolerance {ulps} ulps).");
        }
    }

    /// <summary>|actual − expected| ≤ tolerance[i] (absolute), element by element.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, Func<int, double> tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = tolerance(i);
            if (!(Math.Abs(actual[i] - expected[i]) <= tol))
                Assert.Fail($"{what}: element {i} of {expected.Length} is {actual[i]:R}, the double reference gives {expected[i]:R} (tolerance {tol:G3}).");
        }
    }

    /// <summary>A float rounding of a value of this size: a few units in the last place.</summary>
    public static double Ulps(double magnitude, double count = 2) => count * 1.2e-7 * Math.Abs(magnitude) + 1e-30;
}
