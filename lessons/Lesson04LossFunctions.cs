using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 4. Loss functions turn "how wrong" into one number to minimise. Mean squared error punishes
/// big errors quadratically but stays bounded for probabilities; cross-entropy punishes confident
/// wrong answers without limit and keeps the gradient alive where MSE's dies.
/// </summary>
public static class Lesson04LossFunctions
{
    /// <summary>Losses and gradients for target 1 at p = 0.01, and the softmax example.</summary>
    public sealed record Result(
        double MseAtP001, double CrossEntropyAtP001,
        double MseGradientAtP001, double CrossEntropyGradientAtP001,
        double[] SoftmaxProbabilities, double SoftmaxCrossEntropy,
        double MseOfErrors, double MeanAbsoluteOfErrors);

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;

        // Regression: MSE = (1/n) Σ (ŷ − y)². Squaring makes one error of 10 cost as much as 100
        // errors of 1: MSE chases outliers. The mean absolute error (1/n) Σ |ŷ − y| does not.
        double[] errors = [1, -1, 1, 10];
        double mse = errors.Sum(e => e * e) / errors.Length;
        double mae = errors.Sum(Math.Abs) / errors.Length;
        o.WriteLine($"errors (1, -1, 1, 10): MSE = {mse:F2}, mean absolute error = {mae:F2}; the 10 makes {100 / mse / errors.Length * 100:F0}% of MSE.");

        // Classification with target t = 1 and predicted probability p:
        //   squared error   (p − t)² = (1 − p)²   at most 1, however wrong
        //   cross-entropy   −ln p                 grows without limit as p → 0
        o.WriteLine("target 1, predicted p:   MSE (1-p)^2   cross-entropy -ln p");
        foreach (double p in new[] { 0.99, 0.9, 0.6, 0.3, 0.1, 0.01 })
            o.WriteLine($"  p = {p,4}:              {Mse(p, 1),7:F4}        {CrossEntropy(p, 1),7:F4}");

        // What the gradient says with a sigmoid output p = σ(z). By the chain rule:
        //   MSE:  dL/dz = 2(p − t) · σ'(z) = 2(p − t) p (1 − p)   → 0 when p → 0: the neuron is
        //         confidently wrong and barely learns (the sigmoid is saturated).
        //   CE:   dL/dz = (−1/p) · p (1 − p) = p − t              → −1: the full push remains.
        double pWrong = 0.01;
        double mseGrad = 2 * (pWrong - 1) * pWrong * (1 - pWrong);
        double ceGrad = pWrong - 1;
        o.WriteLine($"at p = 0.01 the gradient dL/dz is {mseGrad:F4} for MSE but {ceGrad:F4} for cross-entropy.");

        // Many classes: softmax turns scores (logits) into probabilities p_k = e^{z_k} / Σ_j e^{z_j},
        // and the loss is −ln p_true. Subtracting max z first changes nothing and avoids overflow.
        double[] logits = [2.0, 1.0, 0.1];
        double[] probs = Softmax(logits);
        double softmaxCe = -Math.Log(probs[0]);
        o.WriteLine($"logits (2, 1, 0.1) -> softmax ({probs[0]:F4}, {probs[1]:F4}, {probs[2]:F4}); true class 0: loss {softmaxCe:F4}");
        // And its gradient is again "prediction minus target": dL/dz_k = p_k − [k = true].
        o.WriteLine($"dL/dz = ({probs[0] - 1:F4}, {probs[1]:F4}, {probs[2]:F4})");

        if (ctx.DrawPictures) Draw(ctx.PicturePath("lesson04-losses.svg"));
        return new Result(Mse(pWrong, 1), CrossEntropy(pWrong, 1), mseGrad, ceGrad, probs, softmaxCe, mse, mae);
    }

    /// <summary>Squared error (p − t)².</summary>
    public static double Mse(double p, double t) => (p - t) * (p - t);

    /// <summary>Binary cross-entropy −[t ln p + (1 − t) ln(1 − p)].</summary>
    public static double CrossEntropy(double p, double t) => -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));

    /// <summary>p_k = e^{z_k − max z} / Σ_j e^{z_j − max z}.</summary>
    public static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static void Draw(string path)
    {
        double[] ps = Enumerable.Range(1, 99).Select(i => i / 100.0).ToArray();
        double[] zs = Enumerable.Range(0, 121).Select(i => -6 + i * 0.1).ToArray();
        Pictures.Draw(path,
            new Chart("Loss for target 1", "predicted probability p", "loss",
            [
                new Series("MSE (1 - p)^2", ps, ps.Select(p => Mse(p, 1)).ToArray()),
                new Series("cross-entropy -ln p", ps, ps.Select(p => CrossEntropy(p, 1)).ToArray()),
            ]),
            new Chart("Gradient dL/dz through a sigmoid, target 1", "z (p = sigmoid(z))", "dL/dz",
            [
                new Series("MSE", zs, zs.Select(z => { double p = 1 / (1 + Math.Exp(-z)); return 2 * (p - 1) * p * (1 - p); }).ToArray()),
                new Series("cross-entropy", zs, zs.Select(z => 1 / (1 + Math.Exp(-z)) - 1).ToArray()),
            ]));
    }
}
