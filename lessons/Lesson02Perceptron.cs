using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 2. The perceptron learning rule: nudge the weights towards every example the neuron gets
/// wrong. It learns AND and OR, and never XOR, because no straight line separates XOR's classes.
/// </summary>
public static class Lesson02Perceptron
{
    /// <summary>What one training run ended with.</summary>
    public sealed record GateRun(string Gate, double W1, double W2, double B, int Epochs, int Errors);

    /// <summary>The three runs.</summary>
    public sealed record Result(GateRun And, GateRun Or, GateRun Xor);

    private static readonly double[,] Inputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };

    public static Result Run(LessonContext ctx)
    {
        var and = Train("AND", [0, 0, 0, 1], ctx.Out);
        var or = Train("OR", [0, 1, 1, 1], ctx.Out);
        var xor = Train("XOR", [0, 1, 1, 0], ctx.Out);

        // Why XOR fails. The neuron says 1 when w1*x1 + w2*x2 + b > 0. XOR needs
        //   (0,0) -> 0:  b <= 0
        //   (1,0) -> 1:  w1 + b > 0
        //   (0,1) -> 1:  w2 + b > 0
        //   (1,1) -> 0:  w1 + w2 + b <= 0
        // Adding the middle two: w1 + w2 + 2b > 0, so w1 + w2 + b > -b >= 0, contradicting the last.
        // No weights exist: the line w1*x1 + w2*x2 + b = 0 cannot put (0,1) and (1,0) on one side
        // and (0,0) and (1,1) on the other. Lesson 7 fixes this with a hidden layer.
        ctx.Out.WriteLine("XOR is not linearly separable: no single line splits its classes, so the rule cycles for ever.");

        if (ctx.DrawPictures) Draw(ctx.PicturePath("lesson02-perceptron.svg"), [and, or, xor]);
        return new Result(and, or, xor);
    }

    /// <summary>
    /// The perceptron rule: for each example, y = step(w·x + b); then
    /// w_i ← w_i + η (t − y) x_i and b ← b + η (t − y). Nothing changes when y = t.
    /// </summary>
    public static GateRun Train(string gate, int[] targets, TextWriter o, int maxEpochs = 20, double learningRate = 0.1)
    {
        double w1 = 0, w2 = 0, b = 0;
        int epoch = 0, errors = 0;
        while (epoch < maxEpochs)
        {
            epoch++;
            errors = 0;
            for (int n = 0; n < 4; n++)
            {
                double x1 = Inputs[n, 0], x2 = Inputs[n, 1];
                double y = Predict(w1, w2, b, x1, x2);
                double error = targets[n] - y;          // +1: should have fired, -1: should not have
                if (error != 0) errors++;
                w1 += learningRate * error * x1;
                w2 += learningRate * error * x2;
                b += learningRate * error;
            }
            if (errors == 0) break;                     // a whole pass without a mistake: learnt
        }
        // Count the mistakes of the final weights (the last pass may have changed them).
        int finalErrors = 0;
        for (int n = 0; n < 4; n++)
            if (Predict(w1, w2, b, Inputs[n, 0], Inputs[n, 1]) != targets[n]) finalErrors++;
        o.WriteLine($"{gate,-4}: after {epoch,2} epochs w = ({w1:F1}, {w2:F1}), b = {b:F1}, {finalErrors} of 4 wrong{(finalErrors == 0 ? " - learnt" : " - not learnt")}");
        return new GateRun(gate, w1, w2, b, epoch, finalErrors);
    }

    /// <summary>The neuron's answer: step(w1 x1 + w2 x2 + b), 1 when the sum is above 0, else 0.</summary>
    public static int Predict(double w1, double w2, double b, double x1, double x2) => w1 * x1 + w2 * x2 + b > 0 ? 1 : 0;

    private static void Draw(string path, GateRun[] runs)
    {
        int[][] targets = [[0, 0, 0, 1], [0, 1, 1, 1], [0, 1, 1, 0]];
        var panels = runs.Select((run, g) =>
        {
            var series = new List<Series>();
            for (int cls = 0; cls <= 1; cls++)
            {
                var idx = Enumerable.Range(0, 4).Where(n => targets[g][n] == cls).ToArray();
                series.Add(new Series($"target {cls}", idx.Select(n => Inputs[n, 0]).ToArray(), idx.Select(n => Inputs[n, 1]).ToArray(), SeriesStyle.Dots, cls == 0 ? "#1f77b4" : "#d62728"));
            }
            // The regions where the neuron says 1 and 0; their border is the line w1*x1 + w2*x2 + b = 0.
            return new Chart($"{run.Gate}: {run.Errors} wrong after {run.Epochs} epochs", "x1", "x2", series,
                XRange: (-0.5, 1.5), YRange: (-0.5, 1.5),
                Background: (x1, x2) => Predict(run.W1, run.W2, run.B, x1, x2));
        }).ToArray();
        Pictures.Draw(path, panels);
    }
}
