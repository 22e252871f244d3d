using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 5. Backpropagation for one neuron: the gradient of the loss with respect to each weight is
/// a product of small local derivatives (the chain rule), checked against a numerical gradient.
/// </summary>
public static class Lesson05Backpropagation
{
    /// <summary>The gradient by the chain rule, by central differences, their largest relative gap, and the loss while learning.</summary>
    public sealed record Result(double[] AnalyticGradient, double[] NumericalGradient, double MaxRelativeError, double[] Losses);

    // The neuron: z = w·x + b, a = σ(z), and the loss L = (a − t)².
    private static readonly double[] X = [0.5, -1.2, 2.0];
    private const double Target = 1.0;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        double[] w = [0.3, 0.8, -0.5];
        double b = 0.1;

        // Forward pass, keeping every intermediate value: backward needs them.
        double z = b;
        for (int i = 0; i < X.Length; i++) z += w[i] * X[i];
        double a = Sigmoid(z);
        double loss = (a - Target) * (a - Target);
        o.WriteLine($"forward:  z = {z:F4}, a = σ(z) = {a:F4}, L = (a - t)^2 = {loss:F6}");

        // Backward pass, one factor at a time, from the loss back to the weights:
        double dL_da = 2 * (a - Target);        // L = (a − t)²  →  dL/da = 2(a − t)
        double da_dz = a * (1 - a);             // a = σ(z)      →  da/dz = σ(z)(1 − σ(z))
        double dL_dz = dL_da * da_dz;           // chain rule: dL/dz = dL/da · da/dz
        o.WriteLine($"backward: dL/da = {dL_da:F4}, da/dz = {da_dz:F4}, dL/dz = {dL_dz:F4}");
        var analytic = new double[X.Length + 1];
        for (int i = 0; i < X.Length; i++)
        {
            analytic[i] = dL_dz * X[i];         // z = Σ w_i x_i + b  →  dz/dw_i = x_i
            o.WriteLine($"  dL/dw{i + 1} = dL/dz * x{i + 1} = {dL_dz:F4} * {X[i],4} = {analytic[i]:F6}");
        }
        analytic[X.Length] = dL_dz;             // dz/db = 1
        o.WriteLine($"  dL/db  = dL/dz * 1 = {analytic[X.Length]:F6}");

        // The check: nudge each parameter by ±h and watch the loss,
        // dL/dθ ≈ (L(θ + h) − L(θ − h)) / 2h, accurate to O(h²).
        double[] theta = [.. w, b];
        var numerical = NumericalGradient(theta);
        double maxRelative = 0;
        for (int k = 0; k < theta.Length; k++)
        {
            double relative = Math.Abs(analytic[k] - numerical[k]) / Math.Max(1e-12, Math.Abs(analytic[k]) + Math.Abs(numerical[k]));
            maxRelative = Math.Max(maxRelative, relative);
            o.WriteLine($"  θ{k}: chain rule {analytic[k],12:F8}   numerical {numerical[k],12:F8}");
        }
        o.WriteLine($"largest relative difference: {maxRelative:E2} (below 1e-7: the chain rule is right)");

        // The gradient points uphill, so stepping against it lowers the loss.
        var losses = new double[50];
        for (int step = 0; step < losses.Length; step++)
        {
            losses[step] = LossAt(theta);
            var grad = Gradient(theta);
            for (int k = 0; k < theta.Length; k++) theta[k] -= 1.0 * grad[k];
        }
        o.WriteLine($"50 steps of gradient descent (η = 1): loss {losses[0]:F4} -> {losses[^1]:F4}");

        if (ctx.DrawPictures)
            Pictures.Draw(ctx.PicturePath("lesson05-descent.svg"), new Chart("One neuron learning: L = (σ(w·x + b) − 1)²", "step", "loss",
                [new Series("loss", Enumerable.Range(0, losses.Length).Select(s => (double)s).ToArray(), losses)]));
        return new Result(analytic, numerical, maxRelative, losses);
    }

    /// <summary>L(θ) for θ = (w1, w2, w3, b).</summary>
    public static double LossAt(double[] theta)
    {
        double z = theta[^1];
        for (int i = 0; i < X.Length; i++) z += theta[i] * X[i];
        double a = Sigmoid(z);
        return (a - Target) * (a - Target);
    }

    /// <summary>dL/dθ by the chain rule (the same factors as above, without the printing).</summary>
    public static double[] Gradient(double[] theta)
    {
        double z = theta[^1];
        for (int i = 0; i < X.Length; i++) z += theta[i] * X[i];
        double a = Sigmoid(z);
        double dL_dz = 2 * (a - Target) * a * (1 - a);
        var g = new double[theta.Length];
        for (int i = 0; i < X.Length; i++) g[i] = dL_dz * X[i];
        g[^1] = dL_dz;
        return g;
    }

    /// <summary>Central differences: (L(θ + h e_k) − L(θ − h e_k)) / 2h for each k.</summary>
    public static double[] NumericalGradient(double[] theta, double h = 1e-5)
    {
        var g = new double[theta.Length];
        for (int k = 0; k < theta.Length; k++)
        {
            double saved = theta[k];
            theta[k] = saved + h; double up = LossAt(theta);
            theta[k] = saved - h; double down = LossAt(theta);
            theta[k] = saved;
            g[k] = (up - down) / (2 * h);
        }
        return g;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
