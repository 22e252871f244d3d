using ScratchNet.Data;
using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 14. A recurrent network reads a name one letter at a time and carries a hidden state h from
/// step to step, so each prediction can depend on every letter so far (the bigram of lesson 13 saw
/// one). Backpropagation through time is lesson 5's chain rule applied to the network unrolled over
/// the steps: the same weights are used at every step, so their gradients are sums over the steps.
/// </summary>
public static class Lesson14RecurrentNetwork
{
    /// <summary>The gradient check, the held-out loss before and after training, the loss curve, and sampled names.</summary>
    public sealed record Result(double GradientError, double TestLossBefore, double TestLossAfter, double[] TrainingLosses, string[] Samples);

    /// <summary>The weights: W_x (V x H), W_h (H x H), b (H) for the state; W_y (H x V), b_y (V) for the next letter's logits.</summary>
    public sealed class Weights(int vocabulary, int hidden)
    {
        public double[,] Wx = new double[vocabulary, hidden], Wh = new double[hidden, hidden], Wy = new double[hidden, vocabulary];
        public double[] B = new double[hidden], By = new double[vocabulary];
        public int V => Wx.GetLength(0);
        public int H => Wh.GetLength(0);
        public IEnumerable<double[,]> Matrices => [Wx, Wh, Wy];
        public IEnumerable<double[]> Vectors => [B, By];
    }

    public const int Hidden = 32, TestNames = 1000, Epochs = 1;
    public const double LearningRate = 0.1, Clip = 5;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var names = ctx.Datasets.ReadText("names").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var vocabulary = CharVocabulary.FromItems(names);
        var rng = new Rng(14);
        rng.Shuffle(names.AsSpan());
        var test = names[..TestNames];
        var train = names[TestNames..];

        var w = new Weights(vocabulary.Count, Hidden);
        foreach (var m in w.Matrices)
            for (int i = 0; i < m.GetLength(0); i++)
                for (int j = 0; j < m.GetLength(1); j++) m[i, j] = rng.NextGaussian() / Math.Sqrt(m.GetLength(0));
        o.WriteLine($"a {vocabulary.Count}-{Hidden}-{vocabulary.Count} recurrent network; {train.Length:N0} names to learn from, {TestNames:N0} held out");

        // The chain rule, unrolled: check every gradient of one name against central differences.
        var (xs, ys) = Sequence("emma", vocabulary);
        double gradientError = GradientCheck(w, xs, ys);
        o.WriteLine($"gradient check on \"emma\" (5 steps): largest relative difference {gradientError:E1}");

        // Training: one name per step, Adagrad (lesson 9) as min-char-rnn does, gradients clipped to
        // ±5 because a product of many W_h factors can explode.
        double before = MeanLoss(w, test, vocabulary);
        var memory = new Weights(vocabulary.Count, Hidden);
        var losses = new List<double>();
        double running = 0;
        int seen = 0;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            rng.Shuffle(train.AsSpan());
            foreach (var name in train)
            {
                var (x, y) = Sequence(name, vocabulary);
                var (loss, g) = LossAndGradients(w, x, y);
                Update(w, g, memory);
                running += loss;
                if (++seen % 2000 == 0) { losses.Add(running / 2000); running = 0; }
            }
        }
        double after = MeanLoss(w, test, vocabulary);
        o.WriteLine($"held-out loss per letter: {before:F4} before, {after:F4} after {Epochs} passes (the bigram of lesson 13: about 2.45)");
        var samples = Enumerable.Range(0, 8).Select(_ => SampleName(w, vocabulary, rng)).ToArray();
        o.WriteLine($"samples: {string.Join(", ", samples)}");

        if (ctx.DrawPictures)
            Pictures.Draw(ctx.PicturePath("lesson14-rnn.svg"), new Chart("A recurrent network learning names", "names seen (thousands)", "loss per letter",
                [new Series("training (mean of 2,000 names)", losses.Select((_, i) => 2.0 * (i + 1)).ToArray(), [.. losses])]));
        return new Result(gradientError, before, after, [.. losses], samples);
    }

    /// <summary>A name as inputs [., n, a, m, e] and targets [n, a, m, e, .].</summary>
    public static (int[] Xs, int[] Ys) Sequence(string name, CharVocabulary vocabulary)
    {
        var ids = vocabulary.Encode(name);
        return ([CharVocabulary.BoundaryId, .. ids], [.. ids, CharVocabulary.BoundaryId]);
    }

    /// <summary>h_t = tanh(W_x[x_t] + h_{t−1} W_h + b) for t = 0..T−1, h_{−1} = 0. The one-hot input picks row x_t of W_x.</summary>
    public static double[][] States(Weights w, int[] xs)
    {
        var hs = new double[xs.Length][];
        var previous = new double[w.H];
        for (int t = 0; t < xs.Length; t++) hs[t] = previous = Step(w, xs[t], previous);
        return hs;
    }

    /// <summary>
    /// Backpropagation through time for the state: given dL/dh_t from the outputs, the gradients of
    /// W_x, W_h and b. The loop runs backwards because h_t's gradient needs step t+1's.
    /// </summary>
    public static (double[,] dWx, double[,] dWh, double[] dB) StateBackward(Weights w, int[] xs, double[][] hs, double[][] dhFromOutput)
    {
        var dWx = new double[w.V, w.H];
        var dWh = new double[w.H, w.H];
        var dB = new double[w.H];
        var dhFromNext = new double[w.H];             // what step t+1 sends back to h_t; nothing for the last step
        for (int t = xs.Length - 1; t >= 0; t--)
        {
            var previous = t > 0 ? hs[t - 1] : new double[w.H];
            var da = new double[w.H];
            for (int j = 0; j < w.H; j++)
            {
                double dh = dhFromOutput[t][j] + dhFromNext[j];  // h_t feeds the output at t and the state at t+1
                double dtanh = 1 - hs[t][j] * hs[t][j];          // h = tanh(a)  →  dh/da = 1 − h²
                da[j] = dh * dtanh;
            }
            var toPrevious = new double[w.H];
            for (int j = 0; j < w.H; j++)
            {
                dWx[xs[t], j] += da[j];                          // a = W_x[x_t] + ...  →  da/dW_x[x_t, j] = 1
                dB[j] += da[j];                                  // da/db = 1
                for (int k = 0; k < w.H; k++)
                {
                    dWh[k, j] += previous[k] * da[j];            // a_j = Σ_k h_{t−1,k} W_h[k, j]  →  da_j/dW_h[k, j] = h_{t−1,k}
                    toPrevious[k] += w.Wh[k, j] * da[j];         // da_j/dh_{t−1,k} = W_h[k, j]
                }
            }
            dhFromNext = toPrevious;
        }
        return (dWx, dWh, dB);
    }

    /// <summary>The mean cross-entropy of the next letters and every gradient.</summary>
    public static (double Loss, Weights Gradient) LossAndGradients(Weights w, int[] xs, int[] ys)
    {
        int steps = xs.Length;
        var hs = States(w, xs);
        var g = new Weights(w.V, w.H);
        var dh = new double[steps][];
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            var p = Softmax(Logits(w, hs[t]));
            loss -= Math.Log(p[ys[t]]) / steps;
            dh[t] = new double[w.H];
            for (int c = 0; c < w.V; c++)
            {
                double dLogit = (p[c] - (c == ys[t] ? 1 : 0)) / steps;   // softmax cross-entropy, averaged over the steps
                g.By[c] += dLogit;
                for (int j = 0; j < w.H; j++)
                {
                    g.Wy[j, c] += hs[t][j] * dLogit;
                    dh[t][j] += w.Wy[j, c] * dLogit;
                }
            }
        }
        (g.Wx, g.Wh, g.B) = StateBackward(w, xs, hs, dh);
        return (loss, g);
    }

    private static double[] Logits(Weights w, double[] h)
    {
        var logits = (double[])w.By.Clone();
        for (int j = 0; j < w.H; j++)
            for (int c = 0; c < w.V; c++) logits[c] += h[j] * w.Wy[j, c];
        return logits;
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>Adagrad: G += g², θ −= η g / √(G + 1e−8), with each g clipped to ±5.</summary>
    private static void Update(Weights w, Weights g, Weights memory)
    {
        foreach (var (value, grad, sum) in w.Matrices.Zip(g.Matrices, memory.Matrices))
            for (int i = 0; i < value.GetLength(0); i++)
                for (int j = 0; j < value.GetLength(1); j++)
                {
                    double d = Math.Clamp(grad[i, j], -Clip, Clip);
                    sum[i, j] += d * d;
                    value[i, j] -= LearningRate * d / Math.Sqrt(sum[i, j] + 1e-8);
                }
        foreach (var (value, grad, sum) in w.Vectors.Zip(g.Vectors, memory.Vectors))
            for (int i = 0; i < value.Length; i++)
            {
                double d = Math.Clamp(grad[i], -Clip, Clip);
                sum[i] += d * d;
                value[i] -= LearningRate * d / Math.Sqrt(sum[i] + 1e-8);
            }
    }

    private static double MeanLoss(Weights w, string[] names, CharVocabulary vocabulary)
    {
        double total = 0;
        int letters = 0;
        foreach (var name in names)
        {
            var (xs, ys) = Sequence(name, vocabulary);
            var hs = States(w, xs);
            for (int t = 0; t < xs.Length; t++) total -= Math.Log(Softmax(Logits(w, hs[t]))[ys[t]]);
            letters += xs.Length;
        }
        return total / letters;
    }

    /// <summary>Every parameter's gradient against (L(θ + h) − L(θ − h)) / 2h; the largest relative difference.</summary>
    private static double GradientCheck(Weights w, int[] xs, int[] ys)
    {
        var (_, g) = LossAndGradients(w, xs, ys);
        const double h = 1e-5;
        double worst = 0;
        void Check(double analytic, Func<double> get, Action<double> set)
        {
            double saved = get();
            set(saved + h); double up = LossAndGradients(w, xs, ys).Loss;
            set(saved - h); double down = LossAndGradients(w, xs, ys).Loss;
            set(saved);
            double numeric = (up - down) / (2 * h);
            worst = Math.Max(worst, Math.Abs(analytic - numeric) / Math.Max(1e-6, Math.Abs(analytic) + Math.Abs(numeric)));
        }
        foreach (var (m, gm) in w.Matrices.Zip(g.Matrices))
            for (int i = 0; i < m.GetLength(0); i++)
                for (int j = 0; j < m.GetLength(1); j += 7)
                    Check(gm[i, j], () => m[i, j], v => m[i, j] = v);
        foreach (var (vec, gv) in w.Vectors.Zip(g.Vectors))
            for (int i = 0; i < vec.Length; i++)
                Check(gv[i], () => vec[i], v => vec[i] = v);
        return worst;
    }

    private static string SampleName(Weights w, CharVocabulary vocabulary, Rng rng)
    {
        var ids = new List<int>();
        var h = new double[w.H];
        int current = CharVocabulary.BoundaryId;
        while (ids.Count < 20)
        {
            h = Step(w, current, h);
            var p = Softmax(Logits(w, h));
            double u = rng.NextDouble(), cumulative = 0;
            int next = p.Length - 1;
            for (int c = 0; c < p.Length; c++) { cumulative += p[c]; if (u < cumulative) { next = c; break; } }
            if (next == CharVocabulary.BoundaryId) break;
            ids.Add(next);
            current = next;
        }
        return vocabulary.Decode([.. ids]);
    }

    /// <summary>One step: h = tanh(W_x[x] + previous W_h + b).</summary>
    public static double[] Step(Weights w, int x, double[] previous)
    {
        var h = new double[w.H];
        for (int j = 0; j < w.H; j++)
        {
            double a = w.Wx[x, j] + w.B[j];
            for (int k = 0; k < w.H; k++) a += previous[k] * w.Wh[k, j];
            h[j] = Math.Tanh(a);
        }
        return h;
    }
}
