using ScratchNet.Layers;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// Forward passes of the sequence layers written plainly in double (flat, row-major, (batch, T, C)),
/// the specifications their gradient checks differentiate.
/// </summary>
internal static class SequenceReference
{
    /// <summary>Each row of c values: y = γ (x - μ) / √(σ² + ε) + β, σ² the biased variance.</summary>
    public static double[] LayerNorm(double[] x, double[] gamma, double[] beta, int c, double eps)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / c; r++)
        {
            double mean = 0, variance = 0;
            for (int j = 0; j < c; j++) mean += x[r * c + j];
            mean /= c;
            for (int j = 0; j < c; j++) variance += (x[r * c + j] - mean) * (x[r * c + j] - mean);
            variance /= c;
            for (int j = 0; j < c; j++) y[r * c + j] = gamma[j] * (x[r * c + j] - mean) / Math.Sqrt(variance + eps) + beta[j];
        }
        return y;
    }

    /// <summary>y[n, :] = W[x_n, :]; ids rounded, so a small nudge of an id changes nothing (ids have no gradient).</summary>
    public static double[] Embedding(double[] ids, double[] weight, int c)
    {
        var y = new double[ids.Length * c];
        for (int n = 0; n < ids.Length; n++)
        {
            int id = (int)Math.Round(ids[n]);
            Array.Copy(weight, id * c, y, n * c, c);
        }
        return y;
    }

    /// <summary>y[b, t, :] = x[b, t, :] + P[t, :].</summary>
    public static double[] Positional(double[] x, double[] table, int steps, int c)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = x[i] + table[i % (steps * c)];
        return y;
    }

    /// <summary>y[b, t, k·C + c] = x[b, t − k, c], 0 before the start: written from the definition.</summary>
    public static double[] CausalWindow(double[] x, int batch, int steps, int c, int size)
    {
        var y = new double[batch * steps * size * c];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                for (int k = 0; k < size; k++)
                    for (int j = 0; j < c; j++)
                        y[((b * steps + t) * size + k) * c + j] = t - k >= 0 ? x[(b * steps + t - k) * c + j] : 0;
        return y;
    }

    /// <summary>The pre-norm block, parameters in <see cref="TransformerBlock.Parameters"/> order.</summary>
    public static double[] TransformerBlock(double[] x, double[][] p, int batch, int steps, int c, int heads)
    {
        var a = AttentionReference.Forward(LayerNorm(x, p[0], p[1], c, 1e-5), batch, steps, c, p[2], p[3], p[4], p[5], heads);
        var h = x.Select((v, i) => v + a[i]).ToArray();
        var hidden = Reference.Dense(LayerNorm(h, p[6], p[7], c, 1e-5), p[8], p[9], batch * steps, c, 4 * c).Select(Reference.Gelu).ToArray();
        var m = Reference.Dense(hidden, p[10], p[11], batch * steps, 4 * c, c);
        return h.Select((v, i) => v + m[i]).ToArray();
    }
}
