using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 1. A single neuron: multiply each input by its weight, add them up, add the bias, and pass
/// the sum through an activation function.
/// </summary>
public static class Lesson01SingleNeuron
{
    /// <summary>The example's inputs, weights and bias, and the neuron's numbers for them.</summary>
    public sealed record Result(double[] Inputs, double[] Weights, double Bias, double WeightedSum, double Step, double Sigmoid, double Tanh, double Relu, int[] AndTable);

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;

        // A neuron with three inputs. The weights say how much each input counts, the bias shifts the
        // threshold. These numbers are made up: lesson 2 learns them.
        double[] x = [1.0, 0.5, -2.0];
        double[] w = [0.4, -0.6, 0.2];
        double b = 0.1;

        // z = w1*x1 + w2*x2 + w3*x3 + b, the weighted sum (a dot product plus a bias).
        double z = b;
        for (int i = 0; i < x.Length; i++)
        {
            o.WriteLine($"  w{i + 1} * x{i + 1} = {w[i],5} * {x[i],5} = {w[i] * x[i],6:F3}");
            z += w[i] * x[i];
        }
        o.WriteLine($"z = sum + b = {z:F4}");

        // The activation a = f(z) decides what the neuron passes on.
        double step = Step(z), sigmoid = Sigmoid(z), tanh = Math.Tanh(z), relu = Relu(z);
        o.WriteLine($"step(z)    = {step}        (1 if z > 0, else 0: the original perceptron)");
        o.WriteLine($"sigmoid(z) = {sigmoid:F4}   (1 / (1 + e^-z): a smooth step between 0 and 1)");
        o.WriteLine($"tanh(z)    = {tanh:F4}  (a smooth step between -1 and 1, centred on 0)");
        o.WriteLine($"relu(z)    = {relu:F4}   (max(0, z): passes positives, blocks negatives)");

        // With the right weights one neuron is a logic gate: w = (1, 1), b = -1.5 fires only when
        // both inputs are on, because 1 + 1 - 1.5 > 0 but 1 + 0 - 1.5 < 0.
        o.WriteLine("A neuron with w = (1, 1), b = -1.5 computes AND:");
        int[] andTable = new int[4];
        for (int row = 0; row < 4; row++)
        {
            int x1 = row >> 1, x2 = row & 1;
            andTable[row] = (int)Step(1.0 * x1 + 1.0 * x2 - 1.5);
            o.WriteLine($"  x = ({x1}, {x2})  ->  {andTable[row]}");
        }

        if (ctx.DrawPictures) DrawActivations(ctx.PicturePath("lesson01-activations.svg"));
        return new Result(x, w, b, z, step, sigmoid, tanh, relu, andTable);
    }

    public static double Step(double z) => z > 0 ? 1 : 0;

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static double Relu(double z) => Math.Max(0, z);

    private static void DrawActivations(string path)
    {
        double[] zs = Enumerable.Range(0, 161).Select(i => -4 + i * 0.05).ToArray();
        Pictures.Draw(path, new Chart("Activation functions a = f(z)", "z", "a",
        [
            new Series("step", zs, zs.Select(Step).ToArray()),
            new Series("sigmoid", zs, zs.Select(Sigmoid).ToArray()),
            new Series("tanh", zs, zs.Select(Math.Tanh).ToArray()),
            new Series("ReLU", zs, zs.Select(Relu).ToArray()),
        ], YRange: (-1.2, 2.2)));
    }
}
