using ScratchNet.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Holds an operator's vector forms to its scalar Invoke, the specification: the driver
/// (<see cref="Vectorized"/>, vector forms then the scalar Invoke on the remainder) against
/// <see cref="ScalarLoop"/> (the scalar Invoke alone), element by element. A tolerance of 0 ulps
/// asks for the same bits, as for operators built from exact operations (+ − × ÷ √, min, max, select).
/// </summary>
internal static class OperatorChecks
{
    /// <summary>Odd sizes (empty, one, below, across and far above a vector) and one large size.</summary>
    public static readonly int[] Sizes = [0, 1, 7, 33, 257, 100_003];

    public static TheoryData<int> SizeData()
    {
        var d = new TheoryData<int>();
        foreach (int n in Sizes) d.Add(n);
        return d;
    }

    public static void Unary<TOp>(TOp op, float[] x, double ulps, string what) where TOp : struct, IUnaryOperator
    {
        var fast = new float[x.Length]; var spec = new float[x.Length];
        Vectorized.Transform(op, x, fast);
        ScalarLoop.Transform(op, x, spec);
        Compare(spec, fast, ulps, what);
        var inPlace = (float[])x.Clone();
        Vectorized.Transform(op, inPlace, inPlace);
        AssertSameBits(fast, inPlace, what + " in place");
    }

    /// <summary>Like <see cref="Unary{TOp}(TOp, float[], double, string)"/> with an absolute tolerance for each result of the specification (infinities and NaNs must match).</summary>
    public static void Unary<TOp>(TOp op, float[] x, Func<float, double> tolerance, string what) where TOp : struct, IUnaryOperator
    {
        var fast = new float[x.Length]; var spec = new float[x.Length];
        Vectorized.Transform(op, x, fast);
        ScalarLoop.Transform(op, x, spec);
        for (int i = 0; i < x.Length; i++)
        {
            float e = spec[i], a = fast[i];
            bool ok = float.IsNaN(e) ? float.IsNaN(a) : float.IsInfinity(e) ? a == e : Math.Abs((double)a - e) <= tolerance(e);
            if (!ok) Assert.Fail($"{what}: element {i} of {x.Length} (x = {x[i]:R}) is {a:R}, the scalar Invoke gives {e:R} (tolerance {tolerance(e):G3}).");
        }
    }

    public static void Binary<TOp>(TOp op, float[] x, float[] y, double ulps, string what) where TOp : struct, IBinaryOperator
    {
        var fast = new float[x.Length]; var spec = new float[x.Length];
        Vectorized.Transform(op, x, y, fast);
        ScalarLoop.Transform(op, x, y, spec);
        Compare(spec, fast, ulps, what);
        var inPlace = (float[])x.Clone();
        Vectorized.Transform(op, inPlace, y, inPlace);
        AssertSameBits(fast, inPlace, what + " in place");
    }

    public static void Ternary<TOp>(TOp op, float[] x, float[] y, float[] z, double ulps, string what) where TOp : struct, ITernaryOperator
    {
        var fast = new float[x.Length]; var spec = new float[x.Length];
        Vectorized.Transform(op, x, y, z, fast);
        ScalarLoop.Transform(op, x, y, z, spec);
        Compare(spec, fast, ulps, what);
    }

    /// <summary><paramref name="steps"/> updates of (a, b) from x, vector path and specification side by side: the same bits.</summary>
    public static void Update2<TOp>(TOp op, float[] a, float[] b, float[] x, int steps, string what) where TOp : struct, IUpdate2Operator
    {
        float[] fa = (float[])a.Clone(), fb = (float[])b.Clone(), sa = (float[])a.Clone(), sb = (float[])b.Clone();
        for (int s = 0; s < steps; s++)
        {
            Vectorized.Update(op, fa, fb, x);
            ScalarLoop.Update(op, sa, sb, x);
        }
        AssertSameBits(sa, fa, what + ": a");
        AssertSameBits(sb, fb, what + ": b");
    }

    /// <summary>Like <see cref="Update2"/> for three updated spans.</summary>
    public static void Update3<TOp>(TOp op, float[] a, float[] b, float[] c, float[] x, int steps, string what) where TOp : struct, IUpdate3Operator
    {
        float[] fa = (float[])a.Clone(), fb = (float[])b.Clone(), fc = (float[])c.Clone();
        float[] sa = (float[])a.Clone(), sb = (float[])b.Clone(), sc = (float[])c.Clone();
        for (int s = 0; s < steps; s++)
        {
            Vectorized.Update(op, fa, fb, fc, x);
            ScalarLoop.Update(op, sa, sb, sc, x);
        }
        AssertSameBits(sa, fa, what + ": a");
        AssertSameBits(sb, fb, what + ": b");
        AssertSameBits(sc, fc, what + ": c");
    }

    /// <summary>
    /// <paramref name="values"/> repeated to fill <paramref name="n"/> elements after a random
    /// prefix, so special values land in the vector part and in the scalar remainder alike.
    /// </summary>
    public static float[] WithSpecials(int n, ulong seed, float scale, params float[] values)
    {
        var x = Random(n, seed, scale);
        for (int i = 0; i < n; i++)
            if (i % 3 == 0) x[i] = values[i / 3 % values.Length];
        return x;
    }

    private static void Compare(float[] spec, float[] fast, double ulps, string what)
    {
        if (ulps == 0) AssertSameBits(spec, fast, what);
        else AssertWithinUlps(spec, fast, ulps, what);
    }
}
