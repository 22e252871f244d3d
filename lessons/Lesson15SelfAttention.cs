using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 15. Self-attention by hand: each position of a sequence takes a weighted average of the
/// positions before it, with weights computed from the data (query against key), never looking
/// ahead (the causal mask); several heads do it side by side in smaller spaces.
/// </summary>
public static class Lesson15SelfAttention
{
    /// <summary>Checks of the lesson's claims: averaging as a product, rows of weights, causality, √D, heads.</summary>
    public sealed record Result(double AveragingError, double RowSumError, double FutureWeight, double CausalityChange,
        double UnscaledScoreSpread, double ScaledScoreSpread, int HeadSize);

    public const int Steps = 6, Width = 8, Heads = 2;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var rng = new Rng(15);
        var x = Random(rng, Steps, Width, 1.0);      // six positions, eight features each (think: embedded letters)

        // 1. The average of the past as a matrix product. With A[i, j] = 1/(i+1) for j ≤ i and 0 after,
        // (A x)[i] = mean of x[0..i]. Any lower-triangular A whose rows sum to 1 is a weighted average.
        var A = new double[Steps, Steps];
        for (int i = 0; i < Steps; i++) for (int j = 0; j <= i; j++) A[i, j] = 1.0 / (i + 1);
        var averaged = MatMul(A, x);
        double averagingError = 0;
        for (int i = 0; i < Steps; i++)
            for (int c = 0; c < Width; c++)
            {
                double mean = 0;
                for (int j = 0; j <= i; j++) mean += x[j, c] / (i + 1);
                averagingError = Math.Max(averagingError, Math.Abs(averaged[i, c] - mean));
            }
        o.WriteLine($"1. a lower-triangular A with rows summing to 1 averages the past: |A x - running mean| <= {averagingError:E1}");

        // 2. One head. The weights come from the data: each position asks a question q = x W_q, offers
        // a key k = x W_k and a value v = x W_v. S = Q Kᵀ / √D scores every pair; the mask sets the
        // future (j > i) to −∞, so softmax gives it weight e^−∞ = 0; Z = P V is the weighted average.
        int d = Width / Heads;
        var Wq = Random(rng, Width, d, 1 / Math.Sqrt(Width));
        var Wk = Random(rng, Width, d, 1 / Math.Sqrt(Width));
        var Wv = Random(rng, Width, d, 1 / Math.Sqrt(Width));
        var (P, _) = Head(x, Wq, Wk, Wv);
        double rowSumError = 0, futureWeight = 0;
        for (int i = 0; i < Steps; i++)
        {
            double sum = 0;
            for (int j = 0; j < Steps; j++) { sum += P[i, j]; if (j > i) futureWeight = Math.Max(futureWeight, P[i, j]); }
            rowSumError = Math.Max(rowSumError, Math.Abs(sum - 1));
        }
        o.WriteLine($"2. one head of size D = {d}: attention weights P (row i = how much position i takes from each j)");
        for (int i = 0; i < Steps; i++)
            o.WriteLine("     " + string.Join(" ", Enumerable.Range(0, Steps).Select(j => P[i, j].ToString("0.00"))));
        o.WriteLine($"   rows sum to 1 (largest error {rowSumError:E1}); the largest weight on a later position: {futureWeight}");

        // 3. Causality: change the last position; no earlier output may move.
        var xChanged = (double[,])x.Clone();
        for (int c = 0; c < Width; c++) xChanged[Steps - 1, c] += 5;
        var (_, z) = Head(x, Wq, Wk, Wv);
        var (_, zChanged) = Head(xChanged, Wq, Wk, Wv);
        double change = 0;
        for (int i = 0; i < Steps - 1; i++) for (int c = 0; c < d; c++) change = Math.Max(change, Math.Abs(z[i, c] - zChanged[i, c]));
        o.WriteLine($"3. changing the last input moves the earlier outputs by {change}: the mask keeps the future out");

        // 4. Why divide by √D: q·k sums D products, so with unit-variance q and k its variance is D.
        // Large scores make softmax nearly one-hot (all weight on one position, tiny gradients elsewhere).
        var (unscaled, scaled) = ScoreSpread(rng, 64);
        o.WriteLine($"4. D = 64: scores q·k have standard deviation {unscaled:F2}; q·k/√D {scaled:F2}, so softmax stays soft at the start");

        // 5. Several heads: H heads of size D = C/H each attend in their own subspace, their outputs
        // are put side by side (C columns again) and mixed by an output projection W_o.
        var Wqkv = Random(rng, Width, 3 * Width, 1 / Math.Sqrt(Width));
        var bqkv = Random(rng, 1, 3 * Width, 0.1);
        var Wo = Random(rng, Width, Width, 1 / Math.Sqrt(Width));
        var bo = Random(rng, 1, Width, 0.1);
        var y = MultiHead(x, Wqkv, Row(bqkv), Wo, Row(bo), Heads);
        o.WriteLine($"5. {Heads} heads of size {d}: (T, C) = ({y.GetLength(0)}, {y.GetLength(1)}) in and out; the library's CausalSelfAttention computes the same numbers (tests)");

        if (ctx.DrawPictures)
            Pictures.Images(ctx.PicturePath("lesson15-attention.svg"), [("uniform average A", A), ("one head's weights P", P)]);
        return new Result(averagingError, rowSumError, futureWeight, change, unscaled, scaled, d);
    }

    /// <summary>One causal head: Q = x W_q, K = x W_k, V = x W_v, then <see cref="Attend"/>.</summary>
    public static (double[,] P, double[,] Z) Head(double[,] x, double[,] Wq, double[,] Wk, double[,] Wv) =>
        Attend(MatMul(x, Wq), MatMul(x, Wk), MatMul(x, Wv));

    /// <summary>P = softmax(mask(Q Kᵀ / √D)) row by row, Z = P V.</summary>
    public static (double[,] P, double[,] Z) Attend(double[,] Q, double[,] K, double[,] V)
    {
        int t = Q.GetLength(0), d = Q.GetLength(1);
        var P = new double[t, t];
        for (int i = 0; i < t; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j <= i; j++)                 // the mask: j > i never enters
            {
                double s = 0;
                for (int c = 0; c < d; c++) s += Q[i, c] * K[j, c];
                P[i, j] = s / Math.Sqrt(d);
                max = Math.Max(max, P[i, j]);
            }
            double sum = 0;
            for (int j = 0; j <= i; j++) sum += P[i, j] = Math.Exp(P[i, j] - max);
            for (int j = 0; j <= i; j++) P[i, j] /= sum;   // softmax over the allowed positions
        }
        return (P, MatMul(P, V));
    }

    /// <summary>
    /// H causal heads from one projection: [Q K V] = x W_qkv + b_qkv (Q in columns 0..C−1, K in C..2C−1,
    /// V in 2C..3C−1; head h uses columns hD..hD+D−1 of each), then y = [Z_0 ... Z_H−1] W_o + b_o.
    /// </summary>
    public static double[,] MultiHead(double[,] x, double[,] Wqkv, double[] bqkv, double[,] Wo, double[] bo, int heads)
    {
        int t = x.GetLength(0), c = x.GetLength(1), d = c / heads;
        var qkv = MatMul(x, Wqkv);
        for (int i = 0; i < t; i++) for (int j = 0; j < 3 * c; j++) qkv[i, j] += bqkv[j];
        var joined = new double[t, c];
        for (int h = 0; h < heads; h++)
        {
            var (_, z) = Attend(Columns(qkv, h * d, d), Columns(qkv, c + h * d, d), Columns(qkv, 2 * c + h * d, d));
            for (int i = 0; i < t; i++) for (int j = 0; j < d; j++) joined[i, h * d + j] = z[i, j];
        }
        var y = MatMul(joined, Wo);
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) y[i, j] += bo[j];
        return y;
    }

    private static (double Unscaled, double Scaled) ScoreSpread(Rng rng, int d)
    {
        const int n = 2000;
        double sum2 = 0;
        for (int s = 0; s < n; s++)
        {
            double dot = 0;
            for (int c = 0; c < d; c++) dot += rng.NextGaussian() * rng.NextGaussian();
            sum2 += dot * dot;
        }
        double sd = Math.Sqrt(sum2 / n);
        return (sd, sd / Math.Sqrt(d));
    }

    public static double[,] MatMul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++)
                for (int j = 0; j < m; j++) c[i, j] += a[i, p] * b[p, j];
        return c;
    }

    public static double[,] Random(Rng rng, int rows, int cols, double scale)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = scale * rng.NextGaussian();
        return m;
    }

    private static double[,] Columns(double[,] m, int first, int count)
    {
        var r = new double[m.GetLength(0), count];
        for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < count; j++) r[i, j] = m[i, first + j];
        return r;
    }

    private static double[] Row(double[,] m) => Enumerable.Range(0, m.GetLength(1)).Select(j => m[0, j]).ToArray();
}
