using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 12. A convolution slides one small filter over an image, computing the same weighted sum
/// (lesson 1) at every position. Its gradients are sums over the same positions: the filter's
/// gradient correlates the image with dL/dY, the image's gradient spreads dL/dY back through the
/// filter. A filter can then be learnt like any weight.
/// </summary>
public static class Lesson12Convolution
{
    /// <summary>The output's size and a few values, the gradient checks, and the learnt filter.</summary>
    public sealed record Result(int OutputSize, double OutputSum, double OutputMax, double FilterGradientError, double ImageGradientError,
        double[,] LearntFilter, double LearntFilterError, double[] Losses);

    /// <summary>The Sobel filter: responds to dark-to-bright changes from left to right (vertical edges).</summary>
    public const int LearningSteps = 1000;
    public const double LearningRate = 0.5, Momentum = 0.9;

    public static readonly double[,] Sobel = { { -1, 0, 1 }, { -2, 0, 2 }, { -1, 0, 1 } };

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var (pixels, _, _) = Lesson08MnistMlp.ReadImages(ctx.DataFile("mnist", "t10k-images-idx3-ubyte"));
        var X = new double[28, 28];
        for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) X[r, c] = pixels[r * 28 + c];   // the first test digit

        // Forward: Y[i, j] = b + Σ_u Σ_v X[i + u, j + v] K[u, v]. With a 3 × 3 filter and no padding
        // the output is (28 − 3 + 1) × (28 − 3 + 1) = 26 × 26. (Deep learning's "convolution" does not
        // flip the filter; mathematicians call this cross-correlation.)
        var Y = Convolve(X, Sobel, bias: 0);
        int size = Y.GetLength(0);
        double sum = 0, max = double.MinValue;
        foreach (double v in Y) { sum += v; max = Math.Max(max, v); }
        o.WriteLine($"28 x 28 image * 3 x 3 Sobel filter -> {size} x {size} feature map: strongest response {max:F3} (a left edge of a stroke).");
        o.WriteLine($"9 weights reused at {size * size} positions: {9 * size * size} multiply-adds, where a dense 784 -> 676 layer needs {784 * 676:N0} weights.");

        // Backward. Whatever comes after, backpropagation hands us G = dL/dY (here random). Then
        //   dL/dK[u, v] = Σ_i Σ_j G[i, j] X[i + u, j + v]      (each weight was used at every position)
        //   dL/db       = Σ_i Σ_j G[i, j]
        //   dL/dX[p, q] = Σ_u Σ_v G[p − u, q − v] K[u, v]      (each pixel fed up to 9 outputs)
        var rng = new Rng(12);
        var G = new double[size, size];
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) G[i, j] = rng.NextGaussian();
        var (dK, _, dX) = Backward(X, Sobel, G);

        // Check both against central differences of L = Σ G ⊙ Y (in double precision).
        double LossOf(double[,] image, double[,] filter)
        {
            var y = Convolve(image, filter, 0);
            double l = 0;
            for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) l += G[i, j] * y[i, j];
            return l;
        }
        double filterError = 0, imageError = 0;
        var K = (double[,])Sobel.Clone();
        for (int u = 0; u < 3; u++)
            for (int v = 0; v < 3; v++)
                filterError = Math.Max(filterError, Math.Abs(dK[u, v] - Numerical(K, u, v, () => LossOf(X, K))));
        var image = (double[,])X.Clone();
        foreach (var (p, q) in new[] { (0, 0), (5, 9), (14, 14), (20, 3), (27, 27) })
            imageError = Math.Max(imageError, Math.Abs(dX[p, q] - Numerical(image, p, q, () => LossOf(image, Sobel))));
        o.WriteLine($"gradient check: filter {filterError:E1}, image {imageError:E1} (largest absolute differences)");

        // Learning a filter: start from random weights and descend L = ½ mean (conv(X, K) − target)²,
        // where the target is the Sobel output. The gradient alone finds the Sobel filter again.
        // Momentum (lesson 9) speeds it up: neighbouring pixels are alike, so the loss is a long narrow valley.
        var learnt = new double[3, 3];
        var velocity = new double[3, 3];
        double biasVelocity = 0;
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) learnt[u, v] = 0.1 * rng.NextGaussian();
        double bias = 0;
        var losses = new double[LearningSteps];
        for (int step = 0; step < losses.Length; step++)
        {
            var y = Convolve(X, learnt, bias);
            var dY = new double[size, size];
            double loss = 0;
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++)
                {
                    double error = y[i, j] - Y[i, j];
                    loss += 0.5 * error * error / (size * size);
                    dY[i, j] = error / (size * size);
                }
            losses[step] = loss;
            if (!double.IsFinite(loss)) throw new InvalidOperationException($"Learning the filter diverged at step {step} (loss {loss}): lower the learning rate.");
            var (gradK, gradB, _) = Backward(X, learnt, dY);
            for (int u = 0; u < 3; u++)
                for (int v = 0; v < 3; v++)
                {
                    velocity[u, v] = Momentum * velocity[u, v] + gradK[u, v];
                    learnt[u, v] -= LearningRate * velocity[u, v];
                }
            biasVelocity = Momentum * biasVelocity + gradB;
            bias -= LearningRate * biasVelocity;
        }
        double learntError = 0;
        for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) learntError = Math.Max(learntError, Math.Abs(learnt[u, v] - Sobel[u, v]));
        o.WriteLine($"learning a filter by gradient descent: loss {losses[0]:F4} -> {losses[^1]:E2} in {losses.Length} steps");
        for (int u = 0; u < 3; u++)
            o.WriteLine($"  [{learnt[u, 0],6:F2} {learnt[u, 1],6:F2} {learnt[u, 2],6:F2}]   (Sobel [{Sobel[u, 0],2} {Sobel[u, 1],2} {Sobel[u, 2],2}])");

        if (ctx.DrawPictures)
            Pictures.Images(ctx.PicturePath("lesson12-convolution.svg"),
                [("input X (28x28)", X), ("filter K (Sobel)", Sobel), ("Y = X * K (26x26)", Y), ("dL/dX for a random G", dX), ("learnt filter", learnt)], signed: true);
        return new Result(size, sum, max, filterError, imageError, learnt, learntError, losses);
    }

    /// <summary>Valid cross-correlation: Y[i, j] = b + Σ_u Σ_v X[i + u, j + v] K[u, v].</summary>
    public static double[,] Convolve(double[,] X, double[,] K, double bias)
    {
        int outRows = X.GetLength(0) - K.GetLength(0) + 1, outCols = X.GetLength(1) - K.GetLength(1) + 1;
        var Y = new double[outRows, outCols];
        for (int i = 0; i < outRows; i++)
            for (int j = 0; j < outCols; j++)
            {
                double sum = bias;
                for (int u = 0; u < K.GetLength(0); u++)
                    for (int v = 0; v < K.GetLength(1); v++)
                        sum += X[i + u, j + v] * K[u, v];
                Y[i, j] = sum;
            }
        return Y;
    }

    /// <summary>Given G = dL/dY, the gradients dL/dK, dL/db and dL/dX (formulas above), in one pass over the positions.</summary>
    public static (double[,] dK, double dB, double[,] dX) Backward(double[,] X, double[,] K, double[,] G)
    {
        var dK = new double[K.GetLength(0), K.GetLength(1)];
        var dX = new double[X.GetLength(0), X.GetLength(1)];
        double dB = 0;
        for (int i = 0; i < G.GetLength(0); i++)
            for (int j = 0; j < G.GetLength(1); j++)
            {
                dB += G[i, j];
                for (int u = 0; u < K.GetLength(0); u++)
                    for (int v = 0; v < K.GetLength(1); v++)
                    {
                        dK[u, v] += G[i, j] * X[i + u, j + v];   // Y[i, j] used K[u, v] times X[i + u, j + v]
                        dX[i + u, j + v] += G[i, j] * K[u, v];   // ... and X[i + u, j + v] times K[u, v]
                    }
            }
        return (dK, dB, dX);
    }

    private static double Numerical(double[,] a, int r, int c, Func<double> loss, double h = 1e-5)
    {
        double saved = a[r, c];
        a[r, c] = saved + h; double up = loss();
        a[r, c] = saved - h; double down = loss();
        a[r, c] = saved;
        return (up - down) / (2 * h);
    }
}
