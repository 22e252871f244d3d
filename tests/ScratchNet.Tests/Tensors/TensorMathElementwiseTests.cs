using ScratchNet.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Element-wise kernels: the fast path gives exactly the bits of its scalar loop (no fused
/// multiply-add, no reassociation), and that loop matches a double reference.
/// </summary>
[Trait("Category", "Kernels")]
public class TensorMathElementwiseTests
{
    public static TheoryData<int> Sizes => SizeData();

    private delegate void Binary(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d);

    private static void CheckBinary(int n, Binary fast, Binary scalar, Func<double, double, double> reference, string what)
    {
        float[] x = Random(n, 1), y = Random(n, 2);
        var d = new float[n]; var s = new float[n];
        fast(x, y, d);
        scalar(x, y, s);
        AssertSameBits(s, d, what);
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = reference(x[i], y[i]);
        AssertClose(r, d, i => Ulps(r[i], 0.6), what);
        // In place: the destination is the first input.
        var inPlace = (float[])x.Clone();
        fast(inPlace, y, inPlace);
        AssertSameBits(s, inPlace, what + " in place");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Add(int n) => CheckBinary(n, TensorMath.Add, TensorMath.AddScalar, (a, b) => a + b, "Add");

    [Theory, MemberData(nameof(Sizes))]
    public void Subtract(int n) => CheckBinary(n, TensorMath.Subtract, TensorMath.SubtractScalar, (a, b) => a - b, "Subtract");

    [Theory, MemberData(nameof(Sizes))]
    public void Multiply(int n) => CheckBinary(n, TensorMath.Multiply, TensorMath.MultiplyScalar, (a, b) => a * b, "Multiply");

    [Theory, MemberData(nameof(Sizes))]
    public void Max(int n) => CheckBinary(n, TensorMath.Max, TensorMath.MaxScalar, Math.Max, "Max");

    [Theory, MemberData(nameof(Sizes))]
    public void Min(int n) => CheckBinary(n, TensorMath.Min, TensorMath.MinScalar, Math.Min, "Min");

    [Theory, MemberData(nameof(Sizes))]
    public void Scale(int n)
    {
        float[] x = Random(n, 3);
        var d = new float[n]; var s = new float[n];
        TensorMath.Scale(x, -0.37f, d);
        TensorMath.ScaleScalar(x, -0.37f, s);
        AssertSameBits(s, d, "Scale");
        AssertClose(x.Select(v => -0.37 * v).ToArray(), d, i => Ulps(x[i], 1), "Scale");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void AddConstant(int n)
    {
        float[] x = Random(n, 4);
        var d = new float[n]; var s = new float[n];
        TensorMath.Add(x, 1.25f, d);
        TensorMath.AddScalar(x, 1.25f, s);
        AssertSameBits(s, d, "Add(x, c)");
        AssertClose(x.Select(v => v + 1.25).ToArray(), d, i => Ulps(4.25, 1), "Add(x, c)");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Square(int n)
    {
        float[] x = Random(n, 5);
        var d = new float[n]; var s = new float[n];
        TensorMath.Square(x, d);
        TensorMath.SquareScalar(x, s);
        AssertSameBits(s, d, "Square");
        AssertClose(x.Select(v => (double)v * v).ToArray(), d, i => Ulps(9, 1), "Square");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Clip(int n)
    {
        float[] x = Random(n, 6);
        var d = new float[n]; var s = new float[n];
        TensorMath.Clip(x, -1f, 0.5f, d);
        TensorMath.ClipScalar(x, -1f, 0.5f, s);
        AssertSameBits(s, d, "Clip");
        AssertClose(x.Select(v => Math.Clamp((double)v, -1, 0.5)).ToArray(), d, _ => 0, "Clip");
    }

    [Fact]
    public void ClipKeepsNaNAndRefusesReversedBounds()
    {
        var x = new float[40];
        x[3] = float.NaN; x[37] = float.NaN; x[20] = 100;
        var d = new float[40];
        TensorMath.Clip(x, -1, 1, d);
        Assert.True(float.IsNaN(d[3]) && float.IsNaN(d[37]));
        Assert.Equal(1f, d[20]);
        var e = Assert.Throws<ArgumentException>(() => TensorMath.Clip(x, 2, 1, d));
        Assert.Contains("Clip", e.Message);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Fill(int n)
    {
        var d = new float[n]; var s = new float[n];
        TensorMath.Fill(d, 2.5f);
        TensorMath.FillScalar(s, 2.5f);
        AssertSameBits(s, d, "Fill");
        Assert.All(d, v => Assert.Equal(2.5f, v));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void AddScaled(int n)
    {
        float[] x = Random(n, 7), y0 = Random(n, 8);
        float[] d = (float[])y0.Clone(), s = (float[])y0.Clone();
        TensorMath.AddScaled(d, 0.3f, x);
        TensorMath.AddScaledScalar(s, 0.3f, x);
        AssertSameBits(s, d, "AddScaled");
        AssertClose(y0.Zip(x, (b, a) => b + 0.3 * a).ToArray(), d, i => Ulps(Math.Abs(y0[i]) + Math.Abs(0.3 * x[i]), 2), "AddScaled");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void MultiplyAdd(int n)
    {
        float[] x = Random(n, 9), y = Random(n, 10), z = Random(n, 11);
        var d = new float[n]; var s = new float[n];
        TensorMath.MultiplyAdd(x, y, z, d);
        TensorMath.MultiplyAddScalar(x, y, z, s);
        AssertSameBits(s, d, "MultiplyAdd");
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = (double)x[i] * y[i] + z[i];
        AssertClose(r, d, i => Ulps(Math.Abs((double)x[i] * y[i]) + Math.Abs(z[i]), 2), "MultiplyAdd");
        // destination += x ⊙ y, in place on the addend.
        var acc = (float[])z.Clone();
        TensorMath.MultiplyAdd(x, y, acc, acc);
        AssertSameBits(s, acc, "MultiplyAdd in place");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Exp(int n)
    {
        float[] x = Random(n, 12, scale: 80f);
        var d = new float[n]; var s = new float[n];
        TensorMath.Exp(x, d);
        TensorMath.ExpScalar(x, s);
        // The vector exponential is not MathF.Exp: within 2 ulps of it (a sweep of the float range found no more).
        AssertWithinUlps(s, d, 2, "Exp");
        AssertClose(x.Select(v => Math.Exp(v)).ToArray(), d, i => Ulps(Math.Exp(x[i]), 3), "Exp");
    }

    [Fact]
    public void ExpOfSpecialValuesMatchesMathF()
    {
        // Overflow, underflow to subnormals and to 0, ±∞ and NaN, placed in both the vector prefix and the scalar remainder.
        float[] special = [0f, -0f, 1f, -1f, 88.7f, 88.8f, -87.3f, -100f, -104f, -200f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-8f, -1e-8f];
        var x = special.Concat(special).Concat(special).ToArray();
        var d = new float[x.Length]; var s = new float[x.Length];
        TensorMath.Exp(x, d);
        TensorMath.ExpScalar(x, s);
        AssertWithinUlps(s, d, 2, "Exp of special values");
    }

    [Fact]
    public void LengthMismatchNamesTheOperationAndTheArgument()
    {
        var e = Assert.Throws<ArgumentException>(() => TensorMath.Add(new float[3], new float[4], new float[3]));
        Assert.Contains("Add", e.Message);
        Assert.Contains("y has 4 elements, expected 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => TensorMath.MultiplyAdd(new float[3], new float[3], new float[3], new float[2]));
        Assert.Contains("MultiplyAdd: destination", e.Message);
    }
}
