using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 6. A layer is many neurons reading the same inputs; a batch is many inputs at once. Both
/// loops together are one matrix product: Y = X W + b.
/// </summary>
public static class Lesson06LayerAsMatrix
{
    /// <summary>The batch output (row-major), how far the two ways differ, the multiply-adds done.</summary>
    public sealed record Result(float[] Y, int BatchSize, int Inputs, int Outputs, float MaxDifference, long MultiplyAdds);

    public const int BatchSize = 4, Inputs = 5, Outputs = 3;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var rng = new Rng(6);

        // Matrices as flat arrays, row after row ("row-major"): element (i, j) of a matrix with C
        // columns lives at [i * C + j]. X holds one sample per row, W one neuron per column.
        var X = new float[BatchSize * Inputs];
        var W = new float[Inputs * Outputs];
        var b = new float[Outputs];
        for (int i = 0; i < X.Length; i++) X[i] = MathF.Round(rng.NextUniform(-1, 1), 2);
        for (int i = 0; i < W.Length; i++) W[i] = MathF.Round(rng.NextUniform(-1, 1), 2);
        for (int j = 0; j < Outputs; j++) b[j] = MathF.Round(rng.NextUniform(-0.5f, 0.5f), 2);

        // The way of lesson 1: one sample, one neuron at a time: y_j = Σ_i x_i W_ij + b_j.
        var yNeuronByNeuron = new float[BatchSize * Outputs];
        for (int n = 0; n < BatchSize; n++)
            for (int j = 0; j < Outputs; j++)
                yNeuronByNeuron[n * Outputs + j] = Neuron(X.AsSpan(n * Inputs, Inputs), W, j, b[j]);

        // The same numbers as one product: Y (B × out) = X (B × in) · W (in × out) + b, where b is
        // added to every row. Three loops; the innermost one is the dot product of lesson 1.
        var Y = MatMulAddBias(X, W, b, BatchSize, Inputs, Outputs);
        float maxDifference = 0;
        for (int k = 0; k < Y.Length; k++) maxDifference = Math.Max(maxDifference, Math.Abs(Y[k] - yNeuronByNeuron[k]));

        o.WriteLine($"X is {BatchSize} x {Inputs} (samples x inputs), W is {Inputs} x {Outputs} (inputs x neurons), Y = X W + b is {BatchSize} x {Outputs}.");
        for (int n = 0; n < BatchSize; n++)
            o.WriteLine($"  sample {n}: y = ({string.Join(", ", Enumerable.Range(0, Outputs).Select(j => Y[n * Outputs + j].ToString("F4")))})");
        o.WriteLine($"neuron by neuron and as a matrix product agree: largest difference {maxDifference}");
        long multiplyAdds = (long)BatchSize * Inputs * Outputs;
        o.WriteLine($"cost: batch x inputs x outputs = {multiplyAdds} multiply-adds. For MNIST's 784 -> 100 layer and a batch of 32: {32L * 784 * 100:N0}.");
        o.WriteLine("Why bother: one big product lets the computer reuse each weight across the batch (cache, SIMD, threads): ScratchNet's Gemm does exactly this.");

        if (ctx.DrawPictures)
            Pictures.Images(ctx.PicturePath("lesson06-matmul.svg"),
                [("X (batch x in)", ToGrid(X, BatchSize, Inputs)), ("W (in x out)", ToGrid(W, Inputs, Outputs)), ("Y = XW + b", ToGrid(Y, BatchSize, Outputs))],
                signed: true, cell: 28);
        return new Result(Y, BatchSize, Inputs, Outputs, maxDifference, multiplyAdds);
    }

    /// <summary>One neuron j on one sample: Σ_i x_i W[i, j] + b_j.</summary>
    public static float Neuron(ReadOnlySpan<float> x, float[] W, int j, float bias)
    {
        int outputs = W.Length / x.Length;
        float z = bias;
        for (int i = 0; i < x.Length; i++) z += x[i] * W[i * outputs + j];
        return z;
    }

    /// <summary>Y[n, j] = Σ_i X[n, i] W[i, j] + b[j] for a whole batch.</summary>
    public static float[] MatMulAddBias(float[] X, float[] W, float[] b, int batch, int inputs, int outputs)
    {
        var Y = new float[batch * outputs];
        for (int n = 0; n < batch; n++)
            for (int j = 0; j < outputs; j++)
            {
                float sum = b[j];
                for (int i = 0; i < inputs; i++) sum += X[n * inputs + i] * W[i * outputs + j];
                Y[n * outputs + j] = sum;
            }
        return Y;
    }

    private static double[,] ToGrid(float[] m, int rows, int cols)
    {
        var g = new double[rows, cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) g[r, c] = m[r * cols + c];
        return g;
    }
}
