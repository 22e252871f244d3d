using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The specification of <see cref="CausalSelfAttention"/>: plain loops over one sample, one head, one
/// position at a time that follow the formulas term by term, in double. Slow; tests check that the
/// fast path (GEMMs on strided views, vectorised softmax, heads in parallel) agrees with it.
/// </summary>
public static class AttentionReference
{
    /// <summary>
    /// y = causal multi-head attention of x (batch, T, C) with <paramref name="heads"/> heads:
    /// <c>[Q K V] = x W_qkv + b_qkv</c>; per head h, <c>P[i, j] = exp(s_ij) / Σ_{k ≤ i} exp(s_ik)</c> for j ≤ i
    /// (0 for j &gt; i) with <c>s_ij = Σ_e Q[i, hD + e] K[j, hD + e] / √D</c>; <c>Z[i, hD + e] = Σ_j P[i, j] V[j, hD + e]</c>;
    /// <c>y = Z W_o + b_o</c>.
    /// </summary>
    public static Tensor Forward(Tensor x, Tensor qkvWeight, Tensor qkvBias, Tensor outWeight, Tensor outBias, int heads)
    {
        var (batch, t, c, _) = Sizes(x, heads);
        var y = Forward(ToDouble(x), batch, t, c, ToDouble(qkvWeight), ToDouble(qkvBias), ToDouble(outWeight), ToDouble(outBias), heads);
        return ToTensor(y, [batch, t, c]);
    }

    /// <summary>
    /// The same on flat row-major arrays of doubles: x is (batch, <paramref name="steps"/>, <paramref name="width"/>),
    /// the weights (C, 3C), (3C), (C, C), (C). Returns y flat, (batch, T, C). Gradient checks perturb these values.
    /// </summary>
    public static double[] Forward(double[] x, int batch, int steps, int width, double[] qkvWeight, double[] qkvBias, double[] outWeight, double[] outBias, int heads)
    {
        int t = steps, c = width;
        var y = new double[batch * t * c];
        for (int b = 0; b < batch; b++)
        {
            var (_, _, z) = ForwardSample(x, qkvWeight, qkvBias, heads, b, t, c);
            Project(z, outWeight, outBias, t, c, c).CopyTo(y, b * t * c);
        }
        return y;
    }

    /// <summary>
    /// The gradients of <see cref="Forward(Tensor, Tensor, Tensor, Tensor, Tensor, int)"/> given dL/dy, by the chain rule written out:
    /// <c>dW_o = Zᵀ dy</c>, <c>db_o = Σ dy</c>, <c>dZ = dy W_oᵀ</c>; per head <c>dP[i, j] = Σ_e dZ[i, hD + e] V[j, hD + e]</c>,
    /// <c>dV[j, hD + e] = Σ_i P[i, j] dZ[i, hD + e]</c>, <c>ds_ij = P[i, j] (dP[i, j] − Σ_k P[i, k] dP[i, k])</c>,
    /// <c>dQ[i] = Σ_j ds_ij K[j] / √D</c>, <c>dK[j] = Σ_i ds_ij Q[i] / √D</c>; then <c>dW_qkv = xᵀ d[Q K V]</c>,
    /// <c>db_qkv = Σ d[Q K V]</c>, <c>dx = d[Q K V] W_qkvᵀ</c>.
    /// </summary>
    public static (Tensor GradInput, Tensor GradQkvWeight, Tensor GradQkvBias, Tensor GradOutWeight, Tensor GradOutBias) Backward(
        Tensor x, Tensor qkvWeight, Tensor qkvBias, Tensor outWeight, Tensor outBias, int heads, Tensor gradOutput)
    {
        var (batch, t, c, d) = Sizes(x, heads);
        double scale = 1 / Math.Sqrt(d);
        var gx = new double[x.Length];
        var gwq = new double[qkvWeight.Length];
        var gbq = new double[3 * c];
        var gwo = new double[outWeight.Length];
        var gbo = new double[c];
        double[] xd = ToDouble(x), wq = ToDouble(qkvWeight), bq = ToDouble(qkvBias);
        for (int b = 0; b < batch; b++)
        {
            var (qkv, p, z) = ForwardSample(xd, wq, bq, heads, b, t, c);
            // Output projection: y[i, o] = Σ_m Z[i, m] W_o[m, o] + b_o[o].
            var dz = new double[t * c];
            for (int i = 0; i < t; i++)
                for (int o = 0; o < c; o++)
                {
                    double g = gradOutput[(b * t + i) * c + o];
                    gbo[o] += g;
                    for (int m = 0; m < c; m++)
                    {
                        gwo[m * c + o] += z[i * c + m] * g;
                        dz[i * c + m] += g * outWeight[m * c + o];
                    }
                }
            var dqkv = new double[t * 3 * c];
            for (int h = 0; h < heads; h++)
            {
                int qo = h * d, ko = c + h * d, vo = 2 * c + h * d;
                for (int i = 0; i < t; i++)
                {
                    var dp = new double[t];
                    for (int j = 0; j <= i; j++)
                        for (int e = 0; e < d; e++)
                        {
                            dp[j] += dz[i * c + h * d + e] * qkv[j * 3 * c + vo + e];
                            dqkv[j * 3 * c + vo + e] += p[h][i, j] * dz[i * c + h * d + e];
                        }
                    double dot = 0;
                    for (int k = 0; k <= i; k++) dot += p[h][i, k] * dp[k];
                    for (int j = 0; j <= i; j++)
                    {
                        double ds = p[h][i, j] * (dp[j] - dot);
                        for (int e = 0; e < d; e++)
                        {
                            dqkv[i * 3 * c + qo + e] += ds * qkv[j * 3 * c + ko + e] * scale;
                            dqkv[j * 3 * c + ko + e] += ds * qkv[i * 3 * c + qo + e] * scale;
                        }
                    }
                }
            }
            // QKV projection: qkv[i, o] = Σ_m x[i, m] W_qkv[m, o] + b_qkv[o].
            for (int i = 0; i < t; i++)
                for (int o = 0; o < 3 * c; o++)
                {
                    double g = dqkv[i * 3 * c + o];
                    gbq[o] += g;
                    for (int m = 0; m < c; m++)
                    {
                        gwq[m * 3 * c + o] += x[(b * t + i) * c + m] * g;
                        gx[(b * t + i) * c + m] += g * qkvWeight[m * 3 * c + o];
                    }
                }
        }
        return (ToTensor(gx, x.ShapeArray()), ToTensor(gwq, qkvWeight.ShapeArray()), ToTensor(gbq, [3 * c]),
            ToTensor(gwo, outWeight.ShapeArray()), ToTensor(gbo, [c]));
    }

    /// <summary>Sample b's Q K V (T x 3C), each head's attention weights P (T x T) and the heads' output Z (T x C), in double.</summary>
    private static (double[] Qkv, double[][,] P, double[] Z) ForwardSample(double[] x, double[] qkvWeight, double[] qkvBias, int heads, int b, int t, int c)
    {
        int d = c / heads;
        double scale = 1 / Math.Sqrt(d);
        var xb = x.AsSpan(b * t * c, t * c).ToArray();
        var qkv = Project(xb, qkvWeight, qkvBias, t, c, 3 * c);
        var p = new double[heads][,];
        var z = new double[t * c];
        for (int h = 0; h < heads; h++)
        {
            p[h] = new double[t, t];
            for (int i = 0; i < t; i++)
            {
                var s = new double[i + 1];
                double max = double.NegativeInfinity;
                for (int j = 0; j <= i; j++) // the causal mask: only j ≤ i
                {
                    for (int e = 0; e < d; e++) s[j] += qkv[i * 3 * c + h * d + e] * qkv[j * 3 * c + c + h * d + e];
                    s[j] *= scale;
                    max = Math.Max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) sum += Math.Exp(s[j] - max);
                for (int j = 0; j <= i; j++) p[h][i, j] = Math.Exp(s[j] - max) / sum;
                for (int e = 0; e < d; e++)
                {
                    double acc = 0;
                    for (int j = 0; j <= i; j++) acc += p[h][i, j] * qkv[j * 3 * c + 2 * c + h * d + e];
                    z[i * c + h * d + e] = acc;
                }
            }
        }
        return (qkv, p, z);
    }

    /// <summary>rows x outputs = input (rows x inputs) W + bias, in double.</summary>
    private static double[] Project(double[] input, double[] weight, double[] bias, int rows, int inputs, int outputs)
    {
        var y = new double[rows * outputs];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < outputs; o++)
            {
                double sum = bias[o];
                for (int m = 0; m < inputs; m++) sum += input[i * inputs + m] * weight[m * outputs + o];
                y[i * outputs + o] = sum;
            }
        return y;
    }

    private static (int Batch, int T, int C, int D) Sizes(Tensor x, int heads)
    {
        if (x.Rank != 3) throw new ArgumentException($"AttentionReference: x must be (batch, T, C), got {x.ShapeString}.");
        if (heads < 1 || x.Dim(2) % heads != 0) throw new ArgumentException($"AttentionReference: C = {x.Dim(2)} is not a multiple of {heads} heads.");
        return (x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(2) / heads);
    }

    private static double[] ToDouble(Tensor t)
    {
        var d = new double[t.Length];
        for (int i = 0; i < d.Length; i++) d[i] = t[i];
        return d;
    }

    private static Tensor ToTensor(double[] values, int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < values.Length; i++) t[i] = (float)values[i];
        return t;
    }
}
