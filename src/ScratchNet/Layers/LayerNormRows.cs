using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Layers;

/// <summary>
/// The row kernels of <see cref="LayerNorm"/>, one pass over a row of C values each. The scalar
/// methods (…Scalar) are the specification; the others run eight floats at a time when the hardware
/// has 256-bit vectors. Sums are taken in double: the vector forms add the same terms in another order
/// (eight running sums, then the tail), so a sum may differ from the scalar one in its last bits of
/// double, which rounds to the same float nearly always; the element-wise results are the same float
/// operations in the same order, the same bits.
/// </summary>
internal static class LayerNormRows
{
    /// <summary>Σ_j x_j, in double.</summary>
    public static double Sum(ReadOnlySpan<float> x)
    {
        if (!Vector256.IsHardwareAccelerated || x.Length < 8) return SumScalar(x);
        ref float xs = ref MemoryMarshal.GetReference(x);
        var low = Vector256<double>.Zero;
        var high = Vector256<double>.Zero;
        int j = 0;
        for (; j <= x.Length - 8; j += 8)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)j));
            low += lo;
            high += hi;
        }
        double sum = Vector256.Sum(low + high);
        for (; j < x.Length; j++) sum += x[j];
        return sum;
    }

    /// <summary>The specification of <see cref="Sum"/>.</summary>
    public static double SumScalar(ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int j = 0; j < x.Length; j++) sum += x[j];
        return sum;
    }

    /// <summary>centered_j = x_j - mean (in float); returns Σ_j centered_j², in double.</summary>
    public static double CenterAndSumSquares(ReadOnlySpan<float> x, float mean, Span<float> centered)
    {
        if (!Vector256.IsHardwareAccelerated || x.Length < 8) return CenterAndSumSquaresScalar(x, mean, centered);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float cs = ref MemoryMarshal.GetReference(centered);
        var m = Vector256.Create(mean);
        var low = Vector256<double>.Zero;
        var high = Vector256<double>.Zero;
        int j = 0;
        for (; j <= x.Length - 8; j += 8)
        {
            var v = Vector256.LoadUnsafe(ref xs, (nuint)j) - m;
            v.StoreUnsafe(ref cs, (nuint)j);
            var (lo, hi) = Vector256.Widen(v);
            low += lo * lo;
            high += hi * hi;
        }
        double squares = Vector256.Sum(low + high);
        for (; j < x.Length; j++)
        {
            float v = x[j] - mean;
            centered[j] = v;
            squares += (double)v * v;
        }
        return squares;
    }

    /// <summary>The specification of <see cref="CenterAndSumSquares"/>.</summary>
    public static double CenterAndSumSquaresScalar(ReadOnlySpan<float> x, float mean, Span<float> centered)
    {
        double squares = 0;
        for (int j = 0; j < x.Length; j++)
        {
            float v = x[j] - mean;
            centered[j] = v;
            squares += (double)v * v;
        }
        return squares;
    }

    /// <summary>x̂_j = centered_j · inverseStd, written over centered; y_j = γ_j x̂_j + β_j.</summary>
    public static void ScaleThenAffine(Span<float> centered, float inverseStd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float cs = ref MemoryMarshal.GetReference(centered);
            ref float gs = ref MemoryMarshal.GetReference(gamma);
            ref float bs = ref MemoryMarshal.GetReference(beta);
            ref float ys = ref MemoryMarshal.GetReference(y);
            var r = Vector256.Create(inverseStd);
            for (; j <= centered.Length - 8; j += 8)
            {
                var v = Vector256.LoadUnsafe(ref cs, (nuint)j) * r;
                v.StoreUnsafe(ref cs, (nuint)j);
                (v * Vector256.LoadUnsafe(ref gs, (nuint)j) + Vector256.LoadUnsafe(ref bs, (nuint)j)).StoreUnsafe(ref ys, (nuint)j);
            }
        }
        ScaleThenAffineScalar(centered[j..], inverseStd, gamma[j..], beta[j..], y[j..]);
    }

    /// <summary>The specification of <see cref="ScaleThenAffine"/>.</summary>
    public static void ScaleThenAffineScalar(Span<float> centered, float inverseStd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
    {
        for (int j = 0; j < centered.Length; j++)
        {
            float v = centered[j] * inverseStd;
            centered[j] = v;
            y[j] = v * gamma[j] + beta[j];
        }
    }

    /// <summary>(Σ_j g_j, Σ_j g_j x̂_j), in double.</summary>
    public static (double Sum, double Dot) SumAndDot(ReadOnlySpan<float> g, ReadOnlySpan<float> xhat)
    {
        if (!Vector256.IsHardwareAccelerated || g.Length < 8) return SumAndDotScalar(g, xhat);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float xs = ref MemoryMarshal.GetReference(xhat);
        Vector256<double> sumLow = Vector256<double>.Zero, sumHigh = Vector256<double>.Zero;
        Vector256<double> dotLow = Vector256<double>.Zero, dotHigh = Vector256<double>.Zero;
        int j = 0;
        for (; j <= g.Length - 8; j += 8)
        {
            var (gl, gh) = Vector256.Widen(Vector256.LoadUnsafe(ref gs, (nuint)j));
            var (xl, xh) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, (nuint)j));
            sumLow += gl;
            sumHigh += gh;
            dotLow += gl * xl;
            dotHigh += gh * xh;
        }
        double sum = Vector256.Sum(sumLow + sumHigh), dot = Vector256.Sum(dotLow + dotHigh);
        for (; j < g.Length; j++)
        {
            sum += g[j];
            dot += (double)g[j] * xhat[j];
        }
        return (sum, dot);
    }

    /// <summary>The specification of <see cref="SumAndDot"/>.</summary>
    public static (double Sum, double Dot) SumAndDotScalar(ReadOnlySpan<float> g, ReadOnlySpan<float> xhat)
    {
        double sum = 0, dot = 0;
        for (int j = 0; j < g.Length; j++)
        {
            sum += g[j];
            dot += (double)g[j] * xhat[j];
        }
        return (sum, dot);
    }

    /// <summary>dx_j = r (g_j - mean(g) - x̂_j mean(g x̂)), written over g (the row holds g = γ ⊙ dy on entry).</summary>
    public static void NormalizeGradient(Span<float> g, ReadOnlySpan<float> xhat, float meanG, float meanGx, float inverseStd)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float gs = ref MemoryMarshal.GetReference(g);
            ref float xs = ref MemoryMarshal.GetReference(xhat);
            var mg = Vector256.Create(meanG);
            var mgx = Vector256.Create(meanGx);
            var r = Vector256.Create(inverseStd);
            for (; j <= g.Length - 8; j += 8)
                (r * (Vector256.LoadUnsafe(ref gs, (nuint)j) - mg - Vector256.LoadUnsafe(ref xs, (nuint)j) * mgx)).StoreUnsafe(ref gs, (nuint)j);
        }
        NormalizeGradientScalar(g[j..], xhat[j..], meanG, meanGx, inverseStd);
    }

    /// <summary>The specification of <see cref="NormalizeGradient"/>.</summary>
    public static void NormalizeGradientScalar(Span<float> g, ReadOnlySpan<float> xhat, float meanG, float meanGx, float inverseStd)
    {
        for (int j = 0; j < g.Length; j++) g[j] = inverseStd * (g[j] - meanG - xhat[j] * meanGx);
    }
}
