using System.Globalization;
using ScratchNet.Lessons.Drawing;

namespace ScratchNet.Lessons;

/// <summary>
/// Lesson 3. Linear regression on the TV-marketing data: fit Sales = w * TV + b by gradient descent
/// on the mean squared error, written twice: with named variables, then as one matrix product.
/// </summary>
public static class Lesson03LinearRegression
{
    /// <summary>The fitted line in the original units, both versions' standardised parameters, the loss curve.</summary>
    public sealed record Result(
        double Intercept, double Slope,
        double EducationalW, double EducationalB, double MatrixW, double MatrixB,
        double LeastSquaresIntercept, double LeastSquaresSlope, double[] Losses);

    public const int Epochs = 100;
    public const double LearningRate = 0.1;

    public static Result Run(LessonContext ctx)
    {
        var o = ctx.Out;
        var (tv, sales) = LoadTvMarketing(ctx.DataFile("tv-marketing", "tvmarketing.csv"));
        o.WriteLine($"Read {tv.Length} markets: TV budget (k$) and sales (k units).");

        // Standardise: x = (TV - mean) / std, y = (Sales - mean) / std. Both then have mean 0 and
        // spread 1, so one learning rate suits both parameters and the descent is fast.
        var (x, meanTv, stdTv) = Standardise(tv);
        var (y, meanSales, stdSales) = Standardise(sales);
        o.WriteLine($"TV: mean {meanTv:F3}, std {stdTv:F3}.  Sales: mean {meanSales:F4}, std {stdSales:F4}.");

        // The educational version: one weight, one bias, loops.
        var (w, b, losses) = TrainEducational(x, y, w0: 0, b0: 0, LearningRate, Epochs);
        for (int e = 0; e < Epochs; e += 20) o.WriteLine($"epoch {e,3}: loss {losses[e]:F6}");
        o.WriteLine($"educational: w = {w:F6}, b = {b:F6}, loss {losses[^1]:F6}");

        // The optimised version: the same model as one matrix product with a bias row.
        double[,] theta = TrainMatrix(x, y, new double[,] { { 0 }, { 0 } }, LearningRate, Epochs);
        o.WriteLine($"matrix:      w = {theta[0, 0]:F6}, b = {theta[1, 0]:F6} (differs by {Math.Max(Math.Abs(theta[0, 0] - w), Math.Abs(theta[1, 0] - b)):E1})");

        // Undo the standardisation. y = w x + b means
        //   (Sales - mS)/sS = w (TV - mT)/sT + b
        //   Sales = (w sS/sT) TV + (mS + sS b - (w sS/sT) mT).
        double slope = w * stdSales / stdTv;
        double intercept = meanSales + stdSales * b - slope * meanTv;
        o.WriteLine($"Gradient descent: Sales = {intercept:F4} + {slope:F6} * TV");

        // The closed form for comparison: slope = cov(TV, Sales) / var(TV).
        var (lsIntercept, lsSlope) = LeastSquares(tv, sales);
        o.WriteLine($"Least squares:    Sales = {lsIntercept:F4} + {lsSlope:F6} * TV");

        if (ctx.DrawPictures) Draw(ctx, tv, sales, intercept, slope, losses);
        return new Result(intercept, slope, w, b, theta[0, 0], theta[1, 0], lsIntercept, lsSlope, losses);
    }

    /// <summary>
    /// Full-batch gradient descent on L = (1/n) Σ (ŷ_i − y_i)² with ŷ_i = w x_i + b:
    /// dL/dw = (2/n) Σ (ŷ_i − y_i) x_i,  dL/db = (2/n) Σ (ŷ_i − y_i).
    /// Returns the loss before each update.
    /// </summary>
    public static (double W, double B, double[] Losses) TrainEducational(double[] x, double[] y, double w0, double b0, double learningRate, int epochs)
    {
        int n = x.Length;
        double w = w0, b = b0;
        var losses = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            double loss = 0, dw = 0, db = 0;
            for (int i = 0; i < n; i++)
            {
                double prediction = w * x[i] + b;
                double error = prediction - y[i];
                loss += error * error / n;
                dw += 2 * error * x[i] / n;
                db += 2 * error / n;
            }
            losses[epoch] = loss;
            w -= learningRate * dw;
            b -= learningRate * db;
        }
        return (w, b, losses);
    }

    /// <summary>
    /// The same descent as matrices. X is n × 2 with a column of ones, so that Θ (2 × 1) holds the
    /// weight in its first row and the bias in its last: Ŷ = X Θ, and dL/dΘ = (2/n) Xᵀ (X Θ − Y).
    /// With more features only the number of columns changes.
    /// </summary>
    public static double[,] TrainMatrix(double[] x, double[] y, double[,] theta0, double learningRate, int epochs)
    {
        int n = x.Length;
        var X = new double[n, 2];
        var Y = new double[n, 1];
        for (int i = 0; i < n; i++) { X[i, 0] = x[i]; X[i, 1] = 1; Y[i, 0] = y[i]; }
        var theta = (double[,])theta0.Clone();
        var Xt = Transpose(X);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var error = Subtract(MatMul(X, theta), Y);          // Ŷ − Y, n × 1
            var gradient = MatMul(Xt, error);                   // Xᵀ (Ŷ − Y), 2 × 1
            for (int r = 0; r < 2; r++) theta[r, 0] -= learningRate * 2.0 / n * gradient[r, 0];
        }
        return theta;
    }

    /// <summary>The two columns of tvmarketing.csv (<paramref name="path"/>).</summary>
    public static (double[] Tv, double[] Sales) LoadTvMarketing(string path)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var tv = new double[lines.Length];
        var sales = new double[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split(',');
            if (cells.Length != 2
                || !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out tv[i])
                || !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out sales[i]))
                throw new FormatException($"{path} line {i + 2}: expected two numbers 'TV,Sales', got '{lines[i]}'.");
        }
        return (tv, sales);
    }

    /// <summary>(v − mean) / std with the population standard deviation.</summary>
    public static (double[] Standardised, double Mean, double Std) Standardise(double[] v)
    {
        double mean = v.Average();
        double std = Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / v.Length);
        return (v.Select(a => (a - mean) / std).ToArray(), mean, std);
    }

    /// <summary>Ordinary least squares for one feature: slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², intercept = ȳ − slope x̄.</summary>
    public static (double Intercept, double Slope) LeastSquares(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        double slope = sxy / sxx;
        return (my - slope * mx, slope);
    }

    private static double[,] MatMul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a[i, p] * b[p, j];
                c[i, j] = sum;
            }
        return c;
    }

    private static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    private static double[,] Subtract(double[,] a, double[,] b)
    {
        var c = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) c[i, j] = a[i, j] - b[i, j];
        return c;
    }

    private static void Draw(LessonContext ctx, double[] tv, double[] sales, double intercept, double slope, double[] losses)
    {
        Pictures.Draw(ctx.PicturePath("lesson03-fit.svg"),
            new Chart($"Sales = {intercept:F4} + {slope:F6} TV", "TV budget (k$)", "Sales (k units)",
            [
                new Series("markets", tv, sales, SeriesStyle.Dots),
                new Series("gradient descent fit", [0, 300], [intercept, intercept + slope * 300], SeriesStyle.Line, "#d62728"),
            ]),
            new Chart("Loss while learning (standardised units)", "epoch", "mean squared error",
                [new Series("loss", Enumerable.Range(0, losses.Length).Select(e => (double)e).ToArray(), losses)]));
    }
}
