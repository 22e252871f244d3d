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
        { 7, 33 }, { 257, 7 }, { 1, 257 }, { 0, 5 }, { 5, 0 }, { 33, 1 }, { 64, 10 }, { 3, 600 },
    };

    public static float[] Random(int n, ulong seed, float scale = 3f)
    {
        var rng = new Rng(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.NextUniform(-scale, scale);
        return a;
    }

    // Offset 0 spelled out: new Tensor(data, rows, cols) would bind rows to the offset parameter.
    public static Tensor RandomMatrix(int rows, int cols, ulong seed, float scale = 3f) =>
        new(Random(rows * cols, seed, scale), 0, rows, cols);

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
