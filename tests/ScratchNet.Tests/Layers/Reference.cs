namespace ScratchNet.Tests.Layers;

/// <summary>
/// Forward passes written plainly in double, as the specification of each layer. Layouts are flat
/// and row-major like the tensors: x is (batch, features).
/// </summary>
internal static class Reference
{
    /// <summary>Each row followed by its group's mean over features of √(population variance + ε), groups of <paramref name="group"/> consecutive rows.</summary>
    public static double[] MinibatchStdDev(double[] x, int batch, int features, int group, double epsilon)
    {
        var y = new double[batch * (features + 1)];
        for (int start = 0; start < batch; start += group)
        {
            int n = Math.Min(group, batch - start);
            double s = 0;
            for (int j = 0; j < features; j++)
            {
                var column = Enumerable.Range(start, n).Select(b => x[b * features + j]).ToArray();
                double mean = column.Average();
                s += Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / n + epsilon);
            }
            for (int b = start; b < start + n; b++)
            {
                Array.Copy(x, b * features, y, b * (features + 1), features);
                y[b * (features + 1) + features] = s / features;
            }
        }
        return y;
    }

    public static double[] Dense(double[] x, double[] w, double[]? b, int batch, int inputs, int units)
    {
        var y = new double[batch * units];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < units; j++)
            {
                double s = b is null ? 0 : b[j];
                for (int k = 0; k < inputs; k++) s += x[i * inputs + k] * w[k * units + j];
                y[i * units + j] = s;
            }
        return y;
    }

    public static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double Gelu(double x) => x * 0.5 * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>
    /// erf by its everywhere-positive series erf(x) = 2/√π e^(-x²) Σ_n 2ⁿ x^(2n+1) / (1·3·…·(2n+1)),
    /// accurate to double rounding for |x| &lt; 6 (no cancellation); ±1 beyond.
    /// </summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 6) return Math.Sign(x);
        double term = x, sum = x;
        for (int n = 1; n < 500; n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    public static double[] SoftmaxRows(double[] x, int rows, int cols)
    {
        var y = new double[x.Length];
        for (int i = 0; i < rows; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = Math.Max(max, x[i * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.Exp(x[i * cols + j] - max);
            for (int j = 0; j < cols; j++) y[i * cols + j] = Math.Exp(x[i * cols + j] - max) / sum;
        }
        return y;
    }

    /// <summary>Training-mode batch norm: batch mean and biased variance per feature.</summary>
    public static double[] BatchNormTrain(double[] x, double[] gamma, double[] beta, int batch, int features, double eps)
    {
        var y = new double[x.Length];
        for (int j = 0; j < features; j++)
        {
            double mean = 0;
            for (int i = 0; i < batch; i++) mean += x[i * features + j];
            mean /= batch;
            double variance = 0;
            for (int i = 0; i < batch; i++) variance += (x[i * features + j] - mean) * (x[i * features + j] - mean);
            variance /= batch;
            for (int i = 0; i < batch; i++)
                y[i * features + j] = gamma[j] * (x[i * features + j] - mean) / Math.Sqrt(variance + eps) + beta[j];
        }
        return y;
    }

    public static double[] BatchNormInference(double[] x, double[] gamma, double[] beta, double[] mean, double[] variance, int batch, int features, double eps)
    {
        var y = new double[x.Length];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < features; j++)
                y[i * features + j] = gamma[j] * (x[i * features + j] - mean[j]) / Math.Sqrt(variance[j] + eps) + beta[j];
        return y;
    }

    public static double MeanSquaredError(double[] p, double[] t) =>
        p.Select((v, i) => (v - t[i]) * (v - t[i])).Sum() / p.Length;

    /// <summary>The textbook form, -(y log σ(z) + (1-y) log(1-σ(z))), mean over elements (fine in double for moderate z).</summary>
    public static double BinaryCrossEntropyWithLogits(double[] z, double[] y) =>
        z.Select((v, i) => -(y[i] * Math.Log(Sigmoid(v)) + (1 - y[i]) * Math.Log(1 - Sigmoid(v)))).Sum() / z.Length;

    /// <summary>-(1/B) Σ_b log softmax(z_b)[t_b] with softmax computed directly.</summary>
    public static double SoftmaxCrossEntropy(double[] z, double[] t, int classes)
    {
        int batch = t.Length;
        var p = SoftmaxRows(z, batch, classes);
        double s = 0;
        for (int b = 0; b < batch; b++) s -= Math.Log(p[b * classes + (int)t[b]]);
        return s / batch;
    }
}
