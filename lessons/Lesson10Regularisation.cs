using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 10. A network with far more weights than training points learns the noise of its training
/// set: training loss falls towards 0 while the loss on new data rises. L2 weight penalty, dropout and
/// early stopping each hold it back.
/// </summary>
public static class Lesson10Regularisation
{
    /// <summary>One training run: losses every <see cref="EvalEvery"/> steps and its final parameters.</summary>
    public sealed record TrainingRun(string Name, double[] TrainLoss, double[] ValidationLoss, double[] Theta);

    /// <summary>Final validation losses of each remedy, and where early stopping stopped.</summary>
    public sealed record Result(
        double BaselineTrainLoss, double BaselineValidationLoss, double BaselineBestValidationLoss,
        double L2ValidationLoss, double DropoutValidationLoss, double EarlyStoppingValidationLoss, int EarlyStoppingStep);

    public const int Hidden = 200, Steps = 3000, EvalEvery = 25, TrainPoints = 40, ValidationPoints = 500;
    public const double LearningRate = 0.01, L2Strength = 0.01, DropoutRate = 0.5;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        // Few noisy training points, many fresh ones to measure generalisation.
        var (Xtrain, Ttrain) = Lesson09Optimizers.TwoMoons(TrainPoints, new Rng(10), noise: 0.3);
        var (Xval, Tval) = Lesson09Optimizers.TwoMoons(ValidationPoints, new Rng(11), noise: 0.3);
        o.WriteLine($"{TrainPoints} training points, {ValidationPoints} validation points; a 2-{Hidden}-1 ReLU network ({4 * Hidden + 1} parameters), Adam, {Steps} full-batch steps.");

        var baseline = Train("no regularisation", Xtrain, Ttrain, Xval, Tval, l2: 0, dropout: 0);
        var l2 = Train($"L2 (λ = {L2Strength})", Xtrain, Ttrain, Xval, Tval, l2: L2Strength, dropout: 0);
        var dropout = Train($"dropout (p = {DropoutRate})", Xtrain, Ttrain, Xval, Tval, l2: 0, dropout: DropoutRate);

        // Early stopping: watch the validation loss and keep the weights from its lowest point; stop
        // once it has not improved for a while ("patience"). Here read off the baseline's curve.
        const int patience = 20;
        var (best, stop) = EarlyStop(baseline.ValidationLoss, patience);
        int stopStep = best * EvalEvery;

        foreach (var run in new[] { baseline, l2, dropout })
            o.WriteLine($"{run.Name,-22}: training loss {run.TrainLoss[^1]:F4}, validation loss {run.ValidationLoss[^1]:F4}");
        o.WriteLine($"{"early stopping",-22}: best validation loss {baseline.ValidationLoss[best]:F4} at step {stopStep}, stopped at step {stop * EvalEvery}");
        o.WriteLine("Dropout slows the memorising (each step trains a different half of the network); L2 keeps the weights, and so the boundary, small and smooth.");
        o.WriteLine($"The penalty (λ/2) Σ w² at λ = {L2Strength}: {L2Penalty(baseline.Theta, L2Strength):F3} for the baseline's weights, {L2Penalty(l2.Theta, L2Strength):F3} for the L2 run's.");
        o.WriteLine($"Overfitting: the baseline's validation loss went from {baseline.ValidationLoss[best]:F4} (step {stopStep}) up to {baseline.ValidationLoss[^1]:F4} while its training loss kept falling.");

        if (ctx.DrawPictures) Draw(ctx.PicturePath("lesson10-regularisation.svg"), baseline, l2, dropout, stopStep, Xtrain, Ttrain);
        return new Result(baseline.TrainLoss[^1], baseline.ValidationLoss[^1], baseline.ValidationLoss[best],
            l2.ValidationLoss[^1], dropout.ValidationLoss[^1], baseline.ValidationLoss[best], stopStep);
    }

    /// <summary>
    /// Trains h = relu(x W1 + b1), p = σ(h·W2 + b2) with Adam on the mean cross-entropy, plus
    /// (λ/2) Σ w² over the weights (not the biases), with dropout on the hidden units while training.
    /// θ = [W1 (2 × H) | b1 (H) | W2 (H) | b2], as in lesson 9.
    /// </summary>
    public static TrainingRun Train(string name, double[,] Xtrain, double[] Ttrain, double[,] Xval, double[] Tval, double l2, double dropout)
    {
        int H = Hidden;
        var rng = new Rng(100);
        var theta = new double[4 * H + 1];
        for (int k = 0; k < 2 * H; k++) theta[k] = rng.NextGaussian() * Math.Sqrt(2.0 / 2);    // He init (lesson 11)
        for (int k = 3 * H; k < 4 * H; k++) theta[k] = rng.NextGaussian() * Math.Sqrt(1.0 / H);
        var m = new double[theta.Length];
        var v = new double[theta.Length];
        var dropoutRng = new Rng(101);
        var trainLoss = new List<double>();
        var validationLoss = new List<double>();
        for (int t = 1; t <= Steps; t++)
        {
            var g = Gradient(theta, Xtrain, Ttrain, dropout, dropoutRng);
            AddL2Gradient(g, theta, l2);
            Lesson09Optimizers.AdamStep(theta, g, m, v, t, LearningRate, 0.9, 0.999, 1e-8);
            if (t % EvalEvery == 0 || t == 1)
            {
                trainLoss.Add(Loss(theta, Xtrain, Ttrain));
                validationLoss.Add(Loss(theta, Xval, Tval));
            }
        }
        return new TrainingRun(name, [.. trainLoss], [.. validationLoss], theta);
    }

    /// <summary>The L2 penalty (λ/2) Σ w² over the weights W1 and W2; the biases are free.</summary>
    public static double L2Penalty(double[] theta, double l2)
    {
        int H = Hidden;
        double sum = 0;
        for (int k = 0; k < 2 * H; k++) sum += theta[k] * theta[k];
        for (int k = 3 * H; k < 4 * H; k++) sum += theta[k] * theta[k];
        return l2 / 2 * sum;
    }

    /// <summary>The penalty's gradient: λ w added to each weight's gradient, pulling every weight towards 0.</summary>
    public static void AddL2Gradient(double[] g, double[] theta, double l2)
    {
        int H = Hidden;
        for (int k = 0; k < 2 * H; k++) g[k] += l2 * theta[k];
        for (int k = 3 * H; k < 4 * H; k++) g[k] += l2 * theta[k];
    }

    /// <summary>
    /// Early stopping read off a validation curve: the index of the lowest loss, and the index where
    /// training stops, once <paramref name="patience"/> evaluations in a row have not gone below the
    /// best (or the curve ends). A tie is not an improvement.
    /// </summary>
    public static (int Best, int Stop) EarlyStop(double[] validationLoss, int patience)
    {
        int best = 0, e = 1;
        for (; e < validationLoss.Length && e - best <= patience; e++)
            if (validationLoss[e] < validationLoss[best]) best = e;
        return (best, e - 1);
    }

    /// <summary>The network's probability of class 1 at (x1, x2), without dropout.</summary>
    public static double Predict(double[] theta, double x1, double x2)
    {
        int H = Hidden;
        double z2 = theta[4 * H];
        for (int j = 0; j < H; j++)
            z2 += Math.Max(0, x1 * theta[j] + x2 * theta[H + j] + theta[2 * H + j]) * theta[3 * H + j];
        return 1 / (1 + Math.Exp(-z2));
    }

    /// <summary>Mean cross-entropy without dropout (as the network is used after training).</summary>
    public static double Loss(double[] theta, double[,] X, double[] T)
    {
        double loss = 0;
        for (int s = 0; s < T.Length; s++)
        {
            double p = Math.Clamp(Predict(theta, X[s, 0], X[s, 1]), 1e-12, 1 - 1e-12);
            loss -= (T[s] * Math.Log(p) + (1 - T[s]) * Math.Log(1 - p)) / T.Length;
        }
        return loss;
    }

    /// <summary>
    /// dL/dθ of the mean cross-entropy. Dropout: each hidden unit is kept with probability 1 − r and
    /// then scaled by 1/(1 − r), so its expected value is unchanged and nothing changes at test time;
    /// a dropped unit passes no gradient. The network cannot lean on any single unit.
    /// </summary>
    public static double[] Gradient(double[] theta, double[,] X, double[] T, double dropout, Rng rng)
    {
        int n = T.Length, H = Hidden, b1 = 2 * H, w2 = 3 * H, b2 = 4 * H;
        var g = new double[theta.Length];
        var z1 = new double[H];
        var h = new double[H];
        var mask = new double[H];
        for (int s = 0; s < n; s++)
        {
            double z2 = theta[b2];
            for (int j = 0; j < H; j++)
            {
                z1[j] = X[s, 0] * theta[j] + X[s, 1] * theta[H + j] + theta[b1 + j];
                mask[j] = dropout == 0 ? 1 : rng.NextDouble() < dropout ? 0 : 1 / (1 - dropout);
                h[j] = Math.Max(0, z1[j]) * mask[j];
                z2 += h[j] * theta[w2 + j];
            }
            double p = 1 / (1 + Math.Exp(-z2));
            double dz2 = (p - T[s]) / n;
            g[b2] += dz2;
            for (int j = 0; j < H; j++)
            {
                g[w2 + j] += dz2 * h[j];
                double dz1 = z1[j] > 0 ? dz2 * theta[w2 + j] * mask[j] : 0;
                g[j] += dz1 * X[s, 0];
                g[H + j] += dz1 * X[s, 1];
                g[b1 + j] += dz1;
            }
        }
        return g;
    }

    private static void Draw(string path, TrainingRun baseline, TrainingRun l2, TrainingRun dropout, int stopStep, double[,] X, double[] T)
    {
        double[] steps = Enumerable.Range(0, baseline.ValidationLoss.Length).Select(e => e == 0 ? 1.0 : e * EvalEvery).ToArray();
        Series Points(int cls) => new($"class {cls}", Enumerable.Range(0, T.Length).Where(s => T[s] == cls).Select(s => X[s, 0]).ToArray(),
            Enumerable.Range(0, T.Length).Where(s => T[s] == cls).Select(s => X[s, 1]).ToArray(), SeriesStyle.Dots, cls == 0 ? "#1f77b4" : "#d62728");
        Pictures.Draw(path,
            new Chart("Validation loss (dashed: baseline training loss)", "step", "cross-entropy",
            [
                new Series("no regularisation", steps, baseline.ValidationLoss),
                new Series(l2.Name, steps, l2.ValidationLoss),
                new Series(dropout.Name, steps, dropout.ValidationLoss),
                new Series($"early stop (step {stopStep})", [stopStep, stopStep], [0.01, 10], SeriesStyle.DashedLine, "#444444"),
                new Series("baseline training", steps, baseline.TrainLoss, SeriesStyle.DashedLine, "#1f77b4"),
            ], LogY: true, YRange: (0.01, 3)),
            new Chart("no regularisation", "x1", "x2", [Points(0), Points(1)], XRange: (-1.5, 2.5), YRange: (-1.2, 1.7),
                Background: (a, b) => Predict(baseline.Theta, a, b)),
            new Chart($"L2, lambda = {L2Strength}", "x1", "x2", [Points(0), Points(1)], XRange: (-1.5, 2.5), YRange: (-1.2, 1.7),
                Background: (a, b) => Predict(l2.Theta, a, b)));
    }
}
