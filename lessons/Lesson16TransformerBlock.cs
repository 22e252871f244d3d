using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 16. A transformer block: attention lets the positions talk (lesson 15), an MLP then thinks
/// about each position alone; each is wrapped as x + f(LayerNorm(x)), so a stack of blocks starts
/// close to the identity and the gradient has a straight path back through the additions.
/// </summary>
public static class Lesson16TransformerBlock
{
    /// <summary>Layer norm's statistics, the block's parameter count, how close it is to the identity at the start, and a stack's gradient.</summary>
    public sealed record Result(double NormalisedMeanError, double NormalisedVarianceError, int Parameters,
        double RelativeChange, double ResidualGradient, double PlainGradient);

    public const int Steps = 5, Width = 8, Heads = 2, Depth = 12;

    /// <summary>The block's weights, named as in the library's TransformerBlock.</summary>
    public sealed class Weights
    {
        public double[] Gamma1 = [], Beta1 = [], Gamma2 = [], Beta2 = [], Bqkv = [], Bo = [], B1 = [], B2 = [];
        public double[,] Wqkv = new double[0, 0], Wo = new double[0, 0], W1 = new double[0, 0], W2 = new double[0, 0];

        /// <summary>Weights as GPT-2 starts them: N(0, 0.02), biases 0, layer norms γ = 1, β = 0.</summary>
        public static Weights Initial(Rng rng, int c) => new()
        {
            Gamma1 = Ones(c), Beta1 = new double[c], Gamma2 = Ones(c), Beta2 = new double[c],
            Wqkv = Lesson15SelfAttention.Random(rng, c, 3 * c, 0.02), Bqkv = new double[3 * c],
            Wo = Lesson15SelfAttention.Random(rng, c, c, 0.02), Bo = new double[c],
            W1 = Lesson15SelfAttention.Random(rng, c, 4 * c, 0.02), B1 = new double[4 * c],
            W2 = Lesson15SelfAttention.Random(rng, 4 * c, c, 0.02), B2 = new double[c],
        };

        private static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();
    }

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var rng = new Rng(16);
        var x = Lesson15SelfAttention.Random(rng, Steps, Width, 1.0);

        // 1. Layer norm: each position's C features to mean 0 and variance 1, then a learnt scale γ
        // and shift β. Unlike batch norm (lesson 11) it needs no batch: every position alone.
        var w = Weights.Initial(rng, Width);
        var n = LayerNorm(x, w.Gamma1, w.Beta1);
        double meanError = 0, varianceError = 0;
        for (int i = 0; i < Steps; i++)
        {
            double mean = 0, variance = 0;
            for (int c = 0; c < Width; c++) mean += n[i, c] / Width;
            for (int c = 0; c < Width; c++) variance += (n[i, c] - mean) * (n[i, c] - mean) / Width;
            meanError = Math.Max(meanError, Math.Abs(mean));
            varianceError = Math.Max(varianceError, Math.Abs(variance - 1));
        }
        o.WriteLine($"1. layer norm per position: mean {meanError:E1} from 0, variance {varianceError:E1} from 1 (the ε = 1e-5 in the root keeps it just under 1)");

        // 2. The block: h = x + Attn(LN₁(x)), y = h + MLP(LN₂(h)), MLP(u) = GELU(u W₁ + b₁) W₂ + b₂ with 4C hidden units.
        var y = Block(x, w, Heads);
        int parameters = 2 * 2 * Width + (Width * 3 * Width + 3 * Width) + (Width * Width + Width) + (Width * 4 * Width + 4 * Width) + (4 * Width * Width + Width);
        o.WriteLine($"2. one block, C = {Width}, {Heads} heads: {parameters} parameters (12C² + 13C), (T, C) = ({y.GetLength(0)}, {y.GetLength(1)}) in and out");

        // 3. Small weights make f(LN(x)) small, so each block starts near the identity: y ≈ x.
        double change = 0, size = 0;
        for (int i = 0; i < Steps; i++) for (int c = 0; c < Width; c++) { change += Math.Pow(y[i, c] - x[i, c], 2); size += x[i, c] * x[i, c]; }
        double relative = Math.Sqrt(change / size);
        o.WriteLine($"3. at the start ‖y − x‖ / ‖x‖ = {relative:F4}: the block barely changes its input");

        // 4. Why the residual matters: the gradient of Σ output with respect to the first input, through
        // a stack of blocks, with the additions and without them (y = f(LN(x)) only), by central differences.
        var stack = Enumerable.Range(0, Depth).Select(_ => Weights.Initial(rng, Width)).ToArray();
        double withResidual = InputGradientNorm(x, stack, residual: true);
        double without = InputGradientNorm(x, stack, residual: false);
        o.WriteLine($"4. through {Depth} blocks, |d(Σ y)/d x[0, 0]|: {withResidual:E2} with the residual additions, {without:E2} without: the addition passes the gradient straight back");

        if (ctx.DrawPictures)
        {
            var depths = Enumerable.Range(1, Depth).Select(k => (double)k).ToArray();
            Pictures.Draw(ctx.PicturePath("lesson16-residual.svg"), new Chart("The gradient reaching the input through k blocks", "blocks", "log10 |d(Σ y)/d x[0, 0]|",
                [new Series("with residual additions", depths, depths.Select(k => Math.Log10(InputGradientNorm(x, stack[..(int)k], true))).ToArray()),
                 new Series("without", depths, depths.Select(k => Math.Log10(InputGradientNorm(x, stack[..(int)k], false))).ToArray(), SeriesStyle.DashedLine)]));
        }
        return new Result(meanError, varianceError, parameters, relative, withResidual, without);
    }

    /// <summary>(x − mean) / √(variance + ε) · γ + β over the last axis, per position (ε = 1e-5).</summary>
    public static double[,] LayerNorm(double[,] x, double[] gamma, double[] beta)
    {
        int t = x.GetLength(0), c = x.GetLength(1);
        var y = new double[t, c];
        for (int i = 0; i < t; i++)
        {
            double mean = 0, variance = 0;
            for (int j = 0; j < c; j++) mean += x[i, j] / c;
            for (int j = 0; j < c; j++) variance += (x[i, j] - mean) * (x[i, j] - mean) / c;
            for (int j = 0; j < c; j++) y[i, j] = (x[i, j] - mean) / Math.Sqrt(variance + 1e-5) * gamma[j] + beta[j];
        }
        return y;
    }

    /// <summary>GELU(u) = u Φ(u), Φ the normal distribution function.</summary>
    public static double Gelu(double u) => u * 0.5 * (1 + Erf(u / Math.Sqrt(2)));

    /// <summary>h = x + Attn(LN₁(x)); y = h + GELU(LN₂(h) W₁ + b₁) W₂ + b₂. Without the residual: only the second terms.</summary>
    public static double[,] Block(double[,] x, Weights w, int heads, bool residual = true)
    {
        int t = x.GetLength(0), c = x.GetLength(1);
        var attended = Lesson15SelfAttention.MultiHead(LayerNorm(x, w.Gamma1, w.Beta1), w.Wqkv, w.Bqkv, w.Wo, w.Bo, heads);
        var h = new double[t, c];
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) h[i, j] = (residual ? x[i, j] : 0) + attended[i, j];
        var hidden = Lesson15SelfAttention.MatMul(LayerNorm(h, w.Gamma2, w.Beta2), w.W1);
        for (int i = 0; i < t; i++) for (int j = 0; j < 4 * c; j++) hidden[i, j] = Gelu(hidden[i, j] + w.B1[j]);
        var mlp = Lesson15SelfAttention.MatMul(hidden, w.W2);
        var y = new double[t, c];
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) y[i, j] = (residual ? h[i, j] : 0) + mlp[i, j] + w.B2[j];
        return y;
    }

    private static double InputGradientNorm(double[,] x, Weights[] stack, bool residual)
    {
        double Sum(double[,] input)
        {
            var z = input;
            foreach (var w in stack) z = Block(z, w, Heads, residual);
            double s = 0;
            foreach (double v in z) s += v;
            return s;
        }
        const double h = 1e-4;
        var plus = (double[,])x.Clone();
        var minus = (double[,])x.Clone();
        plus[0, 0] += h;
        minus[0, 0] -= h;
        return Math.Abs((Sum(plus) - Sum(minus)) / (2 * h));
    }

    /// <summary>The error function by Abramowitz and Stegun's formula 7.1.26 (absolute error below 1.5e-7, enough for a lesson).</summary>
    private static double Erf(double x)
    {
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.Sign(x) * (1 - poly * Math.Exp(-x * x));
    }
}
