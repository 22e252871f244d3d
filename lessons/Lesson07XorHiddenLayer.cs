using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 7. XOR with a hidden layer: two hidden tanh units each draw a line, and the output neuron
/// combines their answers. In the hidden units' coordinates XOR becomes linearly separable.
/// </summary>
public static class Lesson07XorHiddenLayer
{
    /// <summary>The learnt weights, the final loss, the outputs and hidden values for the four inputs.</summary>
    public sealed record Result(double[] W1, double[] B1, double[] W2, double B2, double FinalLoss, double[] Outputs, double[,] Hidden, int Epochs);

    public const int Hidden = 2;
    private static readonly double[,] X = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly double[] T = [0, 1, 1, 0];

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var (W1, b1, W2, b2) = InitialWeights(new Rng(7));

        const int epochs = 3000;
        const double learningRate = 0.5;
        double loss = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            loss = TrainStep(W1, b1, W2, ref b2, learningRate);
            if (epoch % 500 == 0) o.WriteLine($"epoch {epoch,4}: loss {loss:F4}");
        }
        var h = new double[4, Hidden];
        var p = new double[4];
        Forward(W1, b1, W2, b2, h, p);
        o.WriteLine($"after {epochs} epochs: loss {loss:F4}");
        o.WriteLine("  x1 x2 | target | h1      h2      | output");
        for (int n = 0; n < 4; n++)
            o.WriteLine($"  {X[n, 0]}  {X[n, 1]}  |   {T[n]}    | {h[n, 0],7:F3} {h[n, 1],7:F3} | {p[n]:F3}");
        // Each hidden unit is a lesson-2 neuron: it fires on one side of its line
        // W1_0j x1 + W1_1j x2 + b1_j = 0. Between the two lines lie (0,1) and (1,0); outside, (0,0)
        // and (1,1). In (h1, h2) space the four points are now separable by the output neuron's line.
        for (int j = 0; j < Hidden; j++)
            o.WriteLine($"hidden unit {j + 1}: line {W1[j]:F2} x1 + {W1[Hidden + j]:F2} x2 + {b1[j]:F2} = 0");

        if (ctx.DrawPictures) Draw(ctx.PicturePath("lesson07-xor.svg"), W1, b1, W2, b2, h);
        return new Result(W1, b1, W2, b2, loss, p, h, epochs);
    }

    /// <summary>
    /// W1[i, j] (input i → hidden j) stored row-major as [i * Hidden + j], W2[j] (hidden j → output):
    /// weights drawn from N(0, 1), biases 0.
    /// </summary>
    public static (double[] W1, double[] b1, double[] W2, double b2) InitialWeights(Rng rng)
    {
        var W1 = new double[2 * Hidden];
        var W2 = new double[Hidden];
        for (int k = 0; k < W1.Length; k++) W1[k] = rng.NextGaussian();
        for (int j = 0; j < Hidden; j++) W2[j] = rng.NextGaussian();
        return (W1, new double[Hidden], W2, 0);
    }

    /// <summary>
    /// One step of gradient descent on the four examples: forward, the mean binary cross-entropy,
    /// backward, then each parameter θ ← θ − η dL/dθ. Returns the loss before the step.
    /// </summary>
    public static double TrainStep(double[] W1, double[] b1, double[] W2, ref double b2, double learningRate)
    {
        // Forward: h_j = tanh(Σ_i x_i W1_ij + b1_j),  p = σ(Σ_j h_j W2_j + b2).
        var h = new double[4, Hidden];
        var p = new double[4];
        Forward(W1, b1, W2, b2, h, p);
        double loss = 0;
        for (int n = 0; n < 4; n++) loss -= (T[n] * Math.Log(p[n]) + (1 - T[n]) * Math.Log(1 - p[n])) / 4;

        var (dW1, db1, dW2, db2) = Backward(W2, h, p);
        for (int k = 0; k < W1.Length; k++) W1[k] -= learningRate * dW1[k];
        for (int j = 0; j < Hidden; j++) { b1[j] -= learningRate * db1[j]; W2[j] -= learningRate * dW2[j]; }
        b2 -= learningRate * db2;
        return loss;
    }

    /// <summary>
    /// Backward (mean binary cross-entropy): dL/dz2 = (p − t)/n   (lesson 4: sigmoid + CE),
    /// then through W2 to the hidden units, and through tanh: d tanh(u)/du = 1 − tanh².
    /// </summary>
    public static (double[] dW1, double[] db1, double[] dW2, double db2) Backward(double[] W2, double[,] h, double[] p)
    {
        var dW1 = new double[2 * Hidden];
        var db1 = new double[Hidden];
        var dW2 = new double[Hidden];
        double db2 = 0;
        for (int n = 0; n < 4; n++)
        {
            double dz2 = (p[n] - T[n]) / 4;
            db2 += dz2;
            for (int j = 0; j < Hidden; j++)
            {
                dW2[j] += dz2 * h[n, j];
                double dz1 = dz2 * W2[j] * (1 - h[n, j] * h[n, j]);
                db1[j] += dz1;
                for (int i = 0; i < 2; i++) dW1[i * Hidden + j] += dz1 * X[n, i];
            }
        }
        return (dW1, db1, dW2, db2);
    }

    /// <summary>h_j = tanh(Σ_i x_i W1_ij + b1_j) and p = σ(Σ_j h_j W2_j + b2) for the four inputs.</summary>
    public static void Forward(double[] W1, double[] b1, double[] W2, double b2, double[,] h, double[] p)
    {
        for (int n = 0; n < 4; n++)
        {
            double z2 = b2;
            for (int j = 0; j < Hidden; j++)
            {
                double z1 = b1[j] + X[n, 0] * W1[j] + X[n, 1] * W1[Hidden + j];
                h[n, j] = Math.Tanh(z1);
                z2 += h[n, j] * W2[j];
            }
            p[n] = 1 / (1 + Math.Exp(-z2));
        }
    }

    private static void Draw(string path, double[] W1, double[] b1, double[] W2, double b2, double[,] h)
    {
        // Each hidden unit's answer (tanh mapped from [-1, 1] to [0, 1]) over the input plane: its
        // border is the unit's line. Then the output, and the four points as the hidden layer sees them.
        double Unit(int j, double x1, double x2) => (Math.Tanh(b1[j] + x1 * W1[j] + x2 * W1[Hidden + j]) + 1) / 2;
        double Output(double x1, double x2)
        {
            double z2 = b2;
            for (int j = 0; j < Hidden; j++) z2 += (2 * Unit(j, x1, x2) - 1) * W2[j];
            return 1 / (1 + Math.Exp(-z2));
        }
        Series[] Points(double[] x0s, double[] y0s, double[] x1s, double[] y1s) =>
            [new("target 0", x0s, y0s, SeriesStyle.Dots), new("target 1", x1s, y1s, SeriesStyle.Dots)];
        var inputs = Points([0, 1], [0, 1], [0, 1], [1, 0]);
        var panels = new List<Chart>();
        for (int j = 0; j < Hidden; j++)
        {
            int unit = j;
            panels.Add(new Chart($"hidden unit {j + 1}", "x1", "x2", inputs,
                XRange: (-0.5, 1.5), YRange: (-0.5, 1.5), Background: (x1, x2) => Unit(unit, x1, x2)));
        }
        panels.Add(new Chart("output: XOR", "x1", "x2", inputs, XRange: (-0.5, 1.5), YRange: (-0.5, 1.5), Background: Output));
        panels.Add(new Chart("inputs in hidden space", "h1", "h2", Points([h[0, 0], h[3, 0]], [h[0, 1], h[3, 1]], [h[1, 0], h[2, 0]], [h[1, 1], h[2, 1]]),
            XRange: (-1.2, 1.2), YRange: (-1.2, 1.2), Background: (h1, h2) => 1 / (1 + Math.Exp(-(h1 * W2[0] + h2 * W2[1] + b2)))));
        Pictures.Draw(path, [.. panels]);
    }
}
