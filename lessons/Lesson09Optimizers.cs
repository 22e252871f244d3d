using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 9. Four ways to use the gradient: plain SGD, Momentum (remember the direction), RMSprop
/// (scale each parameter by its typical gradient size) and Adam (both), on the same network, data
/// and starting weights.
/// </summary>
public static class Lesson09Optimizers
{
    /// <summary>The loss curve of each optimizer, by name, and its final loss.</summary>
    public sealed record Result(IReadOnlyDictionary<string, double[]> Losses, IReadOnlyDictionary<string, double> FinalLoss);

    public const int Hidden = 16, Steps = 400, Points = 200;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var (X, T) = TwoMoons(Points, new Rng(9));
        // One starting point for all four: θ holds W1 (2 × H), b1 (H), W2 (H), b2, one after another.
        var rng = new Rng(90);
        var theta0 = new double[4 * Hidden + 1];
        for (int k = 0; k < 2 * Hidden; k++) theta0[k] = rng.NextGaussian() * Math.Sqrt(1.0 / 2);
        for (int k = 3 * Hidden; k < 4 * Hidden; k++) theta0[k] = rng.NextGaussian() * Math.Sqrt(1.0 / Hidden);
        o.WriteLine($"{Points} points in two interleaved half-moons; a 2-{Hidden}-1 tanh network, full batch, {Steps} steps each.");

        // Each optimizer at a learning rate typical for it (Adam's and RMSprop's steps are already
        // normalised, so their η is a step size in parameter units).
        var runs = new (string Name, double LearningRate)[] { ("SGD", 0.1), ("Momentum", 0.1), ("RMSprop", 0.01), ("Adam", 0.01) };
        var losses = new Dictionary<string, double[]>();
        foreach (var (name, learningRate) in runs)
        {
            losses[name] = Train(name, learningRate, theta0, X, T);
            o.WriteLine($"{name,-9} η = {learningRate,-5}: loss {losses[name][0]:F4} -> {losses[name][Steps / 4]:F4} (step {Steps / 4}) -> {losses[name][^1]:F4} (step {Steps})");
        }
        o.WriteLine("Momentum beats SGD by building speed along consistent directions; RMSprop and Adam give every parameter its own step size.");

        if (ctx.DrawPictures)
        {
            double[] steps = Enumerable.Range(1, Steps).Select(s => (double)s).ToArray();
            Pictures.Draw(ctx.PicturePath("lesson09-optimizers.svg"), new Chart("Same network, same data, same start", "step", "training loss (cross-entropy)",
                runs.Select(r => new Series(r.Name, steps, losses[r.Name])).ToList(), LogY: true));
        }
        return new Result(losses, losses.ToDictionary(kv => kv.Key, kv => kv.Value[^1]));
    }

    /// <summary>Runs <see cref="Steps"/> full-batch steps of one optimizer from θ0; returns the loss before each step.</summary>
    public static double[] Train(string optimizer, double learningRate, double[] theta0, double[,] X, double[] T, int steps = Steps)
    {
        var theta = (double[])theta0.Clone();
        var first = new double[theta.Length];    // Momentum's velocity, Adam's m
        var second = new double[theta.Length];   // RMSprop's and Adam's mean square
        var losses = new double[steps];
        for (int t = 1; t <= steps; t++)
        {
            (losses[t - 1], var g) = LossAndGradient(theta, X, T);
            switch (optimizer)
            {
                case "SGD": SgdStep(theta, g, learningRate); break;
                case "Momentum": MomentumStep(theta, g, first, learningRate, 0.9); break;
                case "RMSprop": RmsPropStep(theta, g, second, learningRate, 0.99, 1e-8); break;
                case "Adam": AdamStep(theta, g, first, second, t, learningRate, 0.9, 0.999, 1e-8); break;
                default: throw new ArgumentException($"Unknown optimizer '{optimizer}'.");
            }
        }
        return losses;
    }

    /// <summary>θ ← θ − η g.</summary>
    public static void SgdStep(double[] theta, double[] g, double learningRate)
    {
        for (int k = 0; k < theta.Length; k++) theta[k] -= learningRate * g[k];
    }

    /// <summary>v ← μ v + g, θ ← θ − η v: a ball rolling downhill, gathering speed where the slope persists.</summary>
    public static void MomentumStep(double[] theta, double[] g, double[] velocity, double learningRate, double momentum)
    {
        for (int k = 0; k < theta.Length; k++)
        {
            velocity[k] = momentum * velocity[k] + g[k];
            theta[k] -= learningRate * velocity[k];
        }
    }

    /// <summary>s ← ρ s + (1 − ρ) g², θ ← θ − η g / (√s + ε): big steps where gradients are small, small where large.</summary>
    public static void RmsPropStep(double[] theta, double[] g, double[] meanSquare, double learningRate, double rho, double epsilon)
    {
        for (int k = 0; k < theta.Length; k++)
        {
            meanSquare[k] = rho * meanSquare[k] + (1 - rho) * g[k] * g[k];
            theta[k] -= learningRate * g[k] / (Math.Sqrt(meanSquare[k]) + epsilon);
        }
    }

    /// <summary>
    /// m ← β1 m + (1 − β1) g,  v ← β2 v + (1 − β2) g²,  m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t),
    /// θ ← θ − η m̂ / (√v̂ + ε). The hats undo the pull towards 0 of averages that start at 0.
    /// </summary>
    public static void AdamStep(double[] theta, double[] g, double[] m, double[] v, int t, double learningRate, double beta1, double beta2, double epsilon)
    {
        double correction1 = 1 - Math.Pow(beta1, t), correction2 = 1 - Math.Pow(beta2, t);
        for (int k = 0; k < theta.Length; k++)
        {
            m[k] = beta1 * m[k] + (1 - beta1) * g[k];
            v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
            theta[k] -= learningRate * (m[k] / correction1) / (Math.Sqrt(v[k] / correction2) + epsilon);
        }
    }

    /// <summary>
    /// Mean binary cross-entropy of the 2-H-1 network h = tanh(x W1 + b1), p = σ(h·W2 + b2), and its
    /// gradient with respect to θ, by backpropagation (as in lesson 7).
    /// </summary>
    public static (double Loss, double[] Gradient) LossAndGradient(double[] theta, double[,] X, double[] T)
    {
        int n = T.Length, H = Hidden, b1 = 2 * H, w2 = 3 * H, b2 = 4 * H;
        var g = new double[theta.Length];
        var h = new double[H];
        double loss = 0;
        for (int s = 0; s < n; s++)
        {
            double z2 = theta[b2];
            for (int j = 0; j < H; j++)
            {
                h[j] = Math.Tanh(X[s, 0] * theta[j] + X[s, 1] * theta[H + j] + theta[b1 + j]);
                z2 += h[j] * theta[w2 + j];
            }
            double p = 1 / (1 + Math.Exp(-z2));
            loss -= (T[s] * Math.Log(p) + (1 - T[s]) * Math.Log(1 - p)) / n;
            double dz2 = (p - T[s]) / n;
            g[b2] += dz2;
            for (int j = 0; j < H; j++)
            {
                g[w2 + j] += dz2 * h[j];
                double dz1 = dz2 * theta[w2 + j] * (1 - h[j] * h[j]);
                g[j] += dz1 * X[s, 0];
                g[H + j] += dz1 * X[s, 1];
                g[b1 + j] += dz1;
            }
        }
        return (loss, g);
    }

    /// <summary>Two interleaved half-circles with a little noise: class 0 the upper arc, class 1 the lower, shifted.</summary>
    public static (double[,] X, double[] T) TwoMoons(int count, Rng rng, double noise = 0.1)
    {
        var X = new double[count, 2];
        var T = new double[count];
        for (int s = 0; s < count; s++)
        {
            int cls = s % 2;
            double angle = Math.PI * rng.NextDouble();
            X[s, 0] = cls == 0 ? Math.Cos(angle) : 1 - Math.Cos(angle);
            X[s, 1] = cls == 0 ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
            X[s, 0] += noise * rng.NextGaussian();
            X[s, 1] += noise * rng.NextGaussian();
            T[s] = cls;
        }
        return (X, T);
    }
}
