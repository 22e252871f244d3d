using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 11. Through many layers, signals shrink or grow geometrically unless each layer keeps their
/// scale. He initialisation picks the weight scale that does; batch normalisation re-scales each
/// layer's outputs whatever the weights.
/// </summary>
public static class Lesson11InitialisationBatchNorm
{
    /// <summary>Per setting, the standard deviation of the activations after each layer and of the gradient reaching each layer.</summary>
    public sealed record Result(IReadOnlyDictionary<string, double[]> ActivationStd, IReadOnlyDictionary<string, double[]> GradientStd);

    public const int Layers = 10, Width = 128, BatchSize = 200;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var input = Gaussian(new Rng(11), BatchSize * Width, 1.0);    // a batch of N(0, 1) inputs
        o.WriteLine($"{Layers} ReLU layers of {Width} units, a batch of {BatchSize} random inputs with std 1.");

        // For a = relu(z), z = Σ_i x_i w_i over fan_in inputs with Var(w) = σ²:
        //   Var(z) = fan_in σ² E[x²], and relu keeps half of it: E[a²] = Var(z) / 2.
        // So each layer multiplies E[x²] by fan_in σ² / 2. Below 1 the signal vanishes, above 1 it
        // explodes, layer after layer. He initialisation sets σ² = 2 / fan_in: the factor is exactly 1.
        // (Xavier/Glorot's σ² = 1 / fan_in is right for tanh, but halves the signal per ReLU layer.)
        var settings = new (string Name, double WeightStd, bool BatchNorm)[]
        {
            ("N(0, 0.01²): vanishes", 0.01, false),
            ("N(0, 0.2²): explodes", 0.2, false),
            ("Xavier σ² = 1/n", Math.Sqrt(1.0 / Width), false),
            ("He σ² = 2/n", Math.Sqrt(2.0 / Width), false),
            ("N(0, 0.01²) + batch norm", 0.01, true),
        };
        var activationStd = new Dictionary<string, double[]>();
        var gradientStd = new Dictionary<string, double[]>();
        foreach (var (name, weightStd, batchNorm) in settings)
        {
            var weights = new double[Layers][];
            var rng = new Rng(110);
            for (int l = 0; l < Layers; l++) weights[l] = Gaussian(rng, Width * Width, weightStd);
            (activationStd[name], gradientStd[name]) = ForwardBackward(input, weights, batchNorm, new Rng(111));
            o.WriteLine($"{name,-26}: activation std layer 1 {activationStd[name][0]:E2}, layer {Layers} {activationStd[name][^1]:E2};  gradient std at layer 1 {gradientStd[name][0]:E2}");
        }
        o.WriteLine("Batch norm: z ← (z − mean over the batch) / √(variance over the batch + ε), per unit, then γ z + β (here γ = 1, β = 0).");
        o.WriteLine("Whatever the weights' scale, each layer's output starts from mean 0 and variance 1 again.");

        if (ctx.DrawPictures)
        {
            double[] layer = Enumerable.Range(1, Layers).Select(l => (double)l).ToArray();
            Pictures.Draw(ctx.PicturePath("lesson11-activations.svg"),
                new Chart("Forward: std of the activations", "layer", "std (log scale)",
                    settings.Select(s => new Series(s.Name, layer, activationStd[s.Name])).ToList(), LogY: true),
                new Chart("Backward: std of dL/d(activations)", "layer", "std (log scale)",
                    settings.Select(s => new Series(s.Name, layer, gradientStd[s.Name])).ToList(), LogY: true));
        }
        return new Result(activationStd, gradientStd);
    }

    /// <summary>
    /// Forward through the layers (a = relu(norm(x W)), biases 0), then backward from a random dL/da at
    /// the top with the chain rule: dL/dz = dL/da · relu'(z) (through batch norm: see below),
    /// dL/dx = dL/dz Wᵀ. Returns the std of a at each layer and of dL/dx at each layer's input.
    /// </summary>
    public static (double[] ActivationStd, double[] GradientStd) ForwardBackward(double[] input, double[][] weights, bool batchNorm, Rng rng)
    {
        int n = BatchSize, w = Width;
        var xs = new double[Layers + 1][];    // inputs of each layer (xs[L] = the output)
        var zs = new double[Layers][];        // pre-activations (after batch norm if used)
        var inverseStd = new double[Layers][];
        xs[0] = input;
        var activationStd = new double[Layers];
        for (int l = 0; l < Layers; l++)
        {
            var z = MatMul(xs[l], weights[l], n, w, w, transposeB: false);
            if (batchNorm) inverseStd[l] = Normalise(z, n, w);
            zs[l] = z;
            xs[l + 1] = z.Select(v => Math.Max(0, v)).ToArray();
            activationStd[l] = Std(xs[l + 1]);
        }

        var gradientStd = new double[Layers];
        var g = Gaussian(rng, n * w, 1.0);    // dL/d(output), as if from a loss
        for (int l = Layers - 1; l >= 0; l--)
        {
            var dz = new double[n * w];
            for (int k = 0; k < dz.Length; k++) dz[k] = zs[l][k] > 0 ? g[k] : 0;
            if (batchNorm) NormaliseBackward(dz, zs[l], inverseStd[l], n, w);
            g = MatMul(dz, weights[l], n, w, w, transposeB: true);    // dL/dx = dL/dz Wᵀ
            gradientStd[l] = Std(g);
        }
        return (activationStd, gradientStd);
    }

    /// <summary>Per column j: z ← (z − μ_j) / √(σ_j² + ε). Returns 1/√(σ_j² + ε) for the backward pass.</summary>
    public static double[] Normalise(double[] z, int rows, int cols, double epsilon = 1e-5)
    {
        var inverseStd = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < rows; i++) mean += z[i * cols + j] / rows;
            for (int i = 0; i < rows; i++) variance += (z[i * cols + j] - mean) * (z[i * cols + j] - mean) / rows;
            inverseStd[j] = 1 / Math.Sqrt(variance + epsilon);
            for (int i = 0; i < rows; i++) z[i * cols + j] = (z[i * cols + j] - mean) * inverseStd[j];
        }
        return inverseStd;
    }

    /// <summary>
    /// Backward through ẑ = (z − μ)/σ, where μ and σ depend on the whole batch:
    /// dL/dz = (1/σ) (g − mean(g) − ẑ · mean(g ẑ)), per column. Overwrites <paramref name="g"/>.
    /// </summary>
    public static void NormaliseBackward(double[] g, double[] zHat, double[] inverseStd, int rows, int cols)
    {
        for (int j = 0; j < cols; j++)
        {
            double meanG = 0, meanGz = 0;
            for (int i = 0; i < rows; i++) { meanG += g[i * cols + j] / rows; meanGz += g[i * cols + j] * zHat[i * cols + j] / rows; }
            for (int i = 0; i < rows; i++)
                g[i * cols + j] = inverseStd[j] * (g[i * cols + j] - meanG - zHat[i * cols + j] * meanGz);
        }
    }

    private static double[] MatMul(double[] a, double[] b, int n, int k, int m, bool transposeB)
    {
        var c = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int p = 0; p < k; p++)
            {
                double aip = a[i * k + p];
                if (aip == 0) continue;
                for (int j = 0; j < m; j++) c[i * m + j] += aip * (transposeB ? b[j * k + p] : b[p * m + j]);
            }
        return c;
    }

    /// <summary><paramref name="count"/> draws from N(0, std²): the weights of every setting, and the inputs.</summary>
    public static double[] Gaussian(Rng rng, int count, double std)
    {
        var v = new double[count];
        for (int k = 0; k < count; k++) v[k] = std * rng.NextGaussian();
        return v;
    }

    private static double Std(double[] v)
    {
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
    }
}
