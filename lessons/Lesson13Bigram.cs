using ScratchNet.Data;
using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 13. A bigram language model of names, twice: first by counting which letter follows which,
/// then as a one-layer network trained by gradient descent. Both minimise the same negative
/// log-likelihood, and the network's weights end up as the logarithm of the counts.
/// </summary>
public static class Lesson13Bigram
{
    /// <summary>The count model's loss, the network's loss at each step, names sampled from each, and how far the two distributions are apart at the end (in the rows of frequent letters).</summary>
    public sealed record Result(double CountLoss, double[] NeuralLosses, string[] CountSamples, string[] NeuralSamples, double LargestProbabilityGap);

    public const int Steps = 100;
    public const double LearningRate = 50;
    public const int FrequentRow = 5000;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var names = ctx.Datasets.ReadText("names").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

        // The library's tokenizer: id 0 is the boundary token "." that starts and ends every name,
        // the letters are 1 to 26. "emma" is the five bigrams .e em mm ma a.
        var vocabulary = CharVocabulary.FromItems(names);
        int v = vocabulary.Count;
        var (xs, ys) = Bigrams(names, vocabulary);
        o.WriteLine($"{names.Length:N0} names, {v} tokens (. and a-z), {xs.Length:N0} bigrams");

        // 1. Counting. N[a, b] = how often b follows a; P[a, b] = (N[a, b] + 1) / Σ_b (N[a, b] + 1).
        // The +1 (Laplace smoothing) keeps every probability above 0, so no name has infinite loss.
        var counts = new double[v, v];
        for (int i = 0; i < xs.Length; i++) counts[xs[i], ys[i]]++;
        var P = new double[v, v];
        for (int a = 0; a < v; a++)
        {
            double row = 0;
            for (int b = 0; b < v; b++) row += counts[a, b] + 1;
            for (int b = 0; b < v; b++) P[a, b] = (counts[a, b] + 1) / row;
        }
        // The quality of a model: the mean negative log-likelihood of the data, −(1/n) Σ log P[x_i, y_i].
        double countLoss = 0;
        for (int i = 0; i < xs.Length; i++) countLoss -= Math.Log(P[xs[i], ys[i]]);
        countLoss /= xs.Length;
        o.WriteLine($"counting:  P[a, b] = (N[a, b] + 1) / row sum; negative log-likelihood {countLoss:F4} (uniform guessing: log 27 = {Math.Log(v):F4})");
        var rng = new Rng(2147483647);
        var countSamples = Enumerable.Range(0, 5).Select(_ => Sample(P, vocabulary, rng)).ToArray();
        o.WriteLine($"  samples: {string.Join(", ", countSamples)}");

        // 2. The same model as a network. The input letter a is a one-hot vector; one layer W (27 x 27)
        // gives logits = onehot(a) W = W[a, ·]; softmax turns them into probabilities.
        //   loss      L = −(1/n) Σ_i log softmax(W[x_i])[y_i]
        //   gradient  dL/dlogits_i = (softmax(W[x_i]) − onehot(y_i)) / n       (softmax cross-entropy, lesson 4)
        //             dL/dW = onehot(x)ᵀ dL/dlogits: each row a collects the gradients of the bigrams that start with a
        var W = new double[v, v];
        var init = new Rng(2147483647);
        for (int a = 0; a < v; a++) for (int b = 0; b < v; b++) W[a, b] = init.NextGaussian();
        var losses = new double[Steps];
        for (int step = 0; step < Steps; step++)
        {
            var (loss, dW) = LossAndGradient(W, xs, ys);
            losses[step] = loss;
            for (int a = 0; a < v; a++) for (int b = 0; b < v; b++) W[a, b] -= LearningRate * dW[a, b];
        }
        o.WriteLine($"network:   {Steps} steps of gradient descent (η = {LearningRate}): loss {losses[0]:F4} -> {losses[^1]:F4}");

        // Both minimise the same loss over the same 27 x 27 numbers, so softmax(W) approaches the
        // counted P: the network learns log-counts (up to a constant per row). Rows of frequent letters
        // get large gradients and converge first; a row seen a few hundred times is still on its way.
        var Q = SoftmaxRows(W);
        double gap = 0;
        for (int a = 0; a < v; a++)
        {
            double seen = 0;
            for (int b = 0; b < v; b++) seen += counts[a, b];
            if (seen < FrequentRow) continue;
            for (int b = 0; b < v; b++) gap = Math.Max(gap, Math.Abs(Q[a, b] - P[a, b]));
        }
        o.WriteLine($"  largest gap between softmax(W) and the counted P, over the letters followed at least {FrequentRow:N0} times: {gap:F4}");
        var neuralRng = new Rng(2147483647);
        var neuralSamples = Enumerable.Range(0, 5).Select(_ => Sample(Q, vocabulary, neuralRng)).ToArray();
        o.WriteLine($"  samples: {string.Join(", ", neuralSamples)}");
        o.WriteLine("A bigram sees one letter of context; lessons 14 to 16 give the model a memory of the whole name.");

        if (ctx.DrawPictures)
            Pictures.Draw(ctx.PicturePath("lesson13-bigram.svg"), new Chart("A neural bigram learns what counting gives at once", "step", "negative log-likelihood",
                [new Series("network", Enumerable.Range(0, Steps).Select(s => (double)s).ToArray(), losses),
                 new Series("counts", [0, Steps - 1], [countLoss, countLoss])]));
        return new Result(countLoss, losses, countSamples, neuralSamples, gap);
    }

    /// <summary>Every (current, next) token pair of every name, boundaries included.</summary>
    public static (int[] Xs, int[] Ys) Bigrams(IEnumerable<string> names, CharVocabulary vocabulary)
    {
        var xs = new List<int>();
        var ys = new List<int>();
        foreach (var name in names)
        {
            int previous = CharVocabulary.BoundaryId;
            foreach (int id in vocabulary.Encode(name).Append(CharVocabulary.BoundaryId))
            {
                xs.Add(previous);
                ys.Add(id);
                previous = id;
            }
        }
        return ([.. xs], [.. ys]);
    }

    /// <summary>The mean negative log-likelihood of (xs → ys) under softmax(W) rows, and its gradient with respect to W.</summary>
    public static (double Loss, double[,] Gradient) LossAndGradient(double[,] W, int[] xs, int[] ys)
    {
        int v = W.GetLength(0), n = xs.Length;
        var probabilities = SoftmaxRows(W);
        var dW = new double[v, v];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            int a = xs[i], b = ys[i];
            loss -= Math.Log(probabilities[a, b]);
            for (int c = 0; c < v; c++)
            {
                double dLogit = (probabilities[a, c] - (c == b ? 1 : 0)) / n;
                dW[a, c] += dLogit;             // the one-hot input routes the gradient to row a only
            }
        }
        return (loss / n, dW);
    }

    private static double[,] SoftmaxRows(double[,] logits)
    {
        int v = logits.GetLength(0), w = logits.GetLength(1);
        var p = new double[v, w];
        for (int a = 0; a < v; a++)
        {
            double max = double.MinValue, sum = 0;
            for (int b = 0; b < w; b++) max = Math.Max(max, logits[a, b]);
            for (int b = 0; b < w; b++) sum += p[a, b] = Math.Exp(logits[a, b] - max);
            for (int b = 0; b < w; b++) p[a, b] /= sum;
        }
        return p;
    }

    /// <summary>Draws a name letter by letter from the rows of <paramref name="P"/> until the boundary token comes.</summary>
    private static string Sample(double[,] P, CharVocabulary vocabulary, Rng rng)
    {
        var ids = new List<int>();
        int current = CharVocabulary.BoundaryId;
        while (ids.Count < 30)
        {
            double u = rng.NextDouble(), cumulative = 0;
            int next = P.GetLength(1) - 1;
            for (int b = 0; b < P.GetLength(1); b++)
            {
                cumulative += P[current, b];
                if (u < cumulative) { next = b; break; }
            }
            if (next == CharVocabulary.BoundaryId) break;
            ids.Add(next);
            current = next;
        }
        return vocabulary.Decode([.. ids]);
    }
}
