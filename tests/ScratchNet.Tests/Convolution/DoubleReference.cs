namespace ScratchNet.Tests.Convolution;

/// <summary>
/// Forward passes of the convolution layers in double precision, written independently of the library,
/// and a central-difference gradient of <c>L = Σ g · f(θ)</c> computed with them.
/// </summary>
internal static class DoubleReference
{
    public static double[] Conv2D(double[] x, int n, int c, int h, int w, double[] weight, double[]? bias, int outC, int k, int stride, int pad, out int oh, out int ow)
    {
        oh = (h + 2 * pad - k) / stride + 1;
        ow = (w + 2 * pad - k) / stride + 1;
        var y = new double[n * outC * oh * ow];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < outC; o++)
                for (int r = 0; r < oh; r++)
                    for (int q = 0; q < ow; q++)
                    {
                        double s = bias is null ? 0 : bias[o];
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int ih = r * stride - pad + i, iw = q * stride - pad + j;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                                        s += weight[((o * c + ch) * k + i) * k + j] * x[((b * c + ch) * h + ih) * w + iw];
                                }
                        y[((b * outC + o) * oh + r) * ow + q] = s;
                    }
        return y;
    }

    public static double[] MaxPool(double[] x, int n, int c, int h, int w, int size, int stride)
    {
        int oh = (h - size) / stride + 1, ow = (w - size) / stride + 1;
        var y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++)
            for (int r = 0; r < oh; r++)
                for (int q = 0; q < ow; q++)
                {
                    double m = double.NegativeInfinity;
                    for (int i = 0; i < size; i++)
                        for (int j = 0; j < size; j++)
                            m = Math.Max(m, x[(p * h + r * stride + i) * w + q * stride + j]);
                    y[(p * oh + r) * ow + q] = m;
                }
        return y;
    }

    public static double[] AvgPool(double[] x, int n, int c, int h, int w, int size, int stride)
    {
        int oh = (h - size) / stride + 1, ow = (w - size) / stride + 1;
        var y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++)
            for (int r = 0; r < oh; r++)
                for (int q = 0; q < ow; q++)
                {
                    double s = 0;
                    for (int i = 0; i < size; i++)
                        for (int j = 0; j < size; j++)
                            s += x[(p * h + r * stride + i) * w + q * stride + j];
                    y[(p * oh + r) * ow + q] = s / (size * size);
                }
        return y;
    }

    public static double[] GlobalAverage(double[] x, int n, int c, int h, int w)
    {
        var y = new double[n * c];
        for (int p = 0; p < n * c; p++)
        {
            double s = 0;
            for (int i = 0; i < h * w; i++) s += x[p * h * w + i];
            y[p] = s / (h * w);
        }
        return y;
    }

    /// <summary>Training-mode batch normalisation with batch statistics (biased variance).</summary>
    public static double[] BatchNorm(double[] x, int n, int c, int h, int w, double[] gamma, double[] beta, double eps)
    {
        var y = new double[x.Length];
        int plane = h * w, m = n * plane;
        for (int ch = 0; ch < c; ch++)
        {
            double mean = 0, variance = 0;
            for (int b = 0; b < n; b++) for (int i = 0; i < plane; i++) mean += x[(b * c + ch) * plane + i];
            mean /= m;
            for (int b = 0; b < n; b++) for (int i = 0; i < plane; i++) { double d = x[(b * c + ch) * plane + i] - mean; variance += d * d; }
            variance /= m;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < plane; i++)
                {
                    int idx = (b * c + ch) * plane + i;
                    y[idx] = gamma[ch] * (x[idx] - mean) / Math.Sqrt(variance + eps) + beta[ch];
                }
        }
        return y;
    }

    /// <summary>
    /// dL/dθ by central differences of <c>L(θ) = Σ g · f(θ)</c>, perturbing each element of
    /// <paramref name="theta"/> (in place, restored) by ±h.
    /// </summary>
    public static double[] NumericalGradient(double[] theta, double[] g, Func<double[]> f, double h = 1e-6)
    {
        var grad = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            theta[i] = saved + h;
            double plus = Dot(g, f());
            theta[i] = saved - h;
            double minus = Dot(g, f());
            theta[i] = saved;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double[] ToDouble(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++) d[i] = x[i];
        return d;
    }

    public static float[] Random(Rng rng, int count, float scale = 1f)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextGaussian() * scale);
        return v;
    }

    /// <summary>Asserts every analytic float gradient is within atol + rtol·|numeric| of the double numeric one.</summary>
    public static void AssertClose(double[] numeric, ReadOnlySpan<float> analytic, string what, double atol = 2e-4, double rtol = 1e-3)
    {
        Assert.Equal(numeric.Length, analytic.Length);
        for (int i = 0; i < numeric.Length; i++)
        {
            double diff = Math.Abs(numeric[i] - analytic[i]);
            if (diff > atol + rtol * Math.Abs(numeric[i]))
                Assert.Fail($"{what}[{i}]: analytic {analytic[i]:G9} vs numeric {numeric[i]:G9} (diff {diff:G3}).");
        }
    }
}
