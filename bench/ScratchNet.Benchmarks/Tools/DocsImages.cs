using System.Globalization;
using System.IO.Compression;
using ScratchNet.Plotting;

namespace ScratchNet.Benchmarks.Tools;

/// <summary>
/// The example pictures of docs/images, made from the shipped data. The MNIST pictures use a
/// nearest-centroid classifier computed here, so the predictions and mistakes are real without a
/// trained network. The test project compiles this file too and checks that docs/images is what
/// <see cref="Write"/> makes now.
/// </summary>
internal static class DocsImages
{
    /// <summary>The files <see cref="Write"/> makes, in docs/images.</summary>
    public static readonly string[] FileNames =
        ["loss.svg", "loss-log.svg", "tv-fit.svg", "tv-fit.gif", "spirals.png", "spirals.gif", "mnist-predictions.svg", "confusion.svg", "weights.png"];

    /// <summary>Writes every picture from the repository's data folder into <paramref name="outputFolder"/>.</summary>
    public static void Write(string dataFolder, string outputFolder)
    {
        Directory.CreateDirectory(outputFolder);

        // Loss curves (made-up but typical numbers).
        double[] epochs = [.. Enumerable.Range(1, 30).Select(i => (double)i)];
        double[] train = [.. epochs.Select(e => 0.08 + 2.2 * Math.Exp(-e / 5.0) + 0.015 * Math.Sin(1.7 * e))];
        double[] validation = [.. epochs.Select(e => 0.16 + 2.2 * Math.Exp(-e / 5.5) + 0.0025 * e)];
        new LineChart { Title = "Training and validation loss", XLabel = "epoch", YLabel = "cross-entropy loss" }
            .AddSeries("train", epochs, train).AddSeries("validation", epochs, validation, LineStyle.Dashed)
            .SaveSvg(Path.Combine(outputFolder, "loss.svg"));
        new LineChart { Title = "Same curves, log scale", XLabel = "epoch", YLabel = "loss", LogY = true, ShowMarkers = true, Width = 560, Height = 360 }
            .AddSeries("train", epochs, train).AddSeries("validation", epochs, validation, LineStyle.Dashed)
            .SaveSvg(Path.Combine(outputFolder, "loss-log.svg"));

        // TV marketing: points and the least-squares line; the animation of a line being learned.
        var rows = File.ReadAllLines(Path.Combine(dataFolder, "tvmarketing.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        double[] tv = [.. rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture))];
        double[] sales = [.. rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture))];
        new ScatterChart { Title = "Sales against TV advertising", XLabel = "TV advertising budget", YLabel = "sales" }
            .AddPoints("stores", tv, sales).AddLine("least squares: sales = 7.0326 + 0.047537 TV", 7.0326, 0.047537)
            .SaveSvg(Path.Combine(outputFolder, "tv-fit.svg"));
        var fit = new FittedLineAnimation(tv, sales) { XLabel = "TV", YLabel = "sales", Width = 320, Height = 240, Every = 4 };
        fit.Gif.DelayCentiseconds = 12;
        for (int epoch = 1; epoch <= 40; epoch++)
        {
            double t = 1 - Math.Exp(-epoch / 9.0);
            fit.AddEpoch(epoch, 7.0326 * t, 0.047537 + 0.04 * Math.Exp(-epoch / 5.0) * Math.Cos(epoch / 3.0), 10.5 + 60 * Math.Exp(-epoch / 6.0), last: epoch == 40);
        }
        fit.Save(Path.Combine(outputFolder, "tv-fit.gif"));

        // Spirals with an analytic classifier, as regions and as an animation.
        int n = 160;
        var points = new float[n, 2];
        var classes = new int[n];
        var rng = new ScratchNet.Rng(5);
        for (int i = 0; i < n; i++)
        {
            int c = i % 2;
            double t = (i / 2) / (double)(n / 2) * 3 * Math.PI + 0.4, r = t / 3;
            points[i, 0] = (float)(r * Math.Cos(t + c * Math.PI) + 0.06 * rng.NextGaussian());
            points[i, 1] = (float)(r * Math.Sin(t + c * Math.PI) + 0.06 * rng.NextGaussian());
            classes[i] = c;
        }
        Func<float[,], float[]> Spiral(double progress) => grid =>
        {
            var p = new float[grid.GetLength(0)];
            for (int i = 0; i < p.Length; i++)
            {
                double x = grid[i, 0], y = grid[i, 1], radius = Math.Sqrt(x * x + y * y), angle = Math.Atan2(y, x);
                double score = progress * 5 * Math.Sin(angle - 3 * radius + 0.45) + (1 - progress) * 2 * x;
                p[i] = (float)(1 / (1 + Math.Exp(score)));
            }
            return p;
        };
        var plot = new DecisionBoundaryPlot(points, classes) { XLabel = "x1", YLabel = "x2", Width = 280, Height = 280, PointRadius = 3.2 };
        plot.RenderProbabilities(Spiral(1), "epoch 300  loss 0.0412").SavePng(Path.Combine(outputFolder, "spirals.png"));
        var animation = new DecisionBoundaryAnimation(new DecisionBoundaryPlot(points, classes) { Width = 240, Height = 240, PointRadius = 3, GridStep = 2 }) { Every = 30 };
        for (int epoch = 1; epoch <= 300; epoch++)
            animation.AddEpochClasses(epoch, g => [.. Spiral(Math.Min(1, epoch / 240.0))(g).Select(v => v >= 0.5f ? 1 : 0)], 0.69 * Math.Exp(-epoch / 80.0), last: epoch == 300);
        animation.Save(Path.Combine(outputFolder, "spirals.gif"));

        // MNIST: nearest-centroid predictions for the first test images; the centroids as diverging tiles.
        var (trainImages, trainLabels) = ReadMnist(dataFolder, "train", 6000);
        var (testImages, testLabels) = ReadMnist(dataFolder, "t10k", 400);
        var centroids = new float[10 * 784];
        var counts = new int[10];
        for (int i = 0; i < trainLabels.Length; i++)
        {
            counts[trainLabels[i]]++;
            for (int k = 0; k < 784; k++) centroids[trainLabels[i] * 784 + k] += trainImages[i * 784 + k];
        }
        for (int c = 0; c < 10; c++) for (int k = 0; k < 784; k++) centroids[c * 784 + k] /= counts[c];
        var predicted = new int[testLabels.Length];
        for (int i = 0; i < testLabels.Length; i++)
        {
            double best = double.MaxValue;
            for (int c = 0; c < 10; c++)
            {
                double d = 0;
                for (int k = 0; k < 784; k++) { double e = testImages[i * 784 + k] - centroids[c * 784 + k]; d += e * e; }
                if (d < best) { best = d; predicted[i] = c; }
            }
        }
        // Show 20 images, the first ones and then mistakes so that the red marks appear.
        var chosen = Enumerable.Range(0, 12).Concat(Enumerable.Range(12, testLabels.Length - 12).Where(i => predicted[i] != testLabels[i]).Take(8)).ToArray();
        var shown = new float[chosen.Length * 784];
        for (int j = 0; j < chosen.Length; j++) Array.Copy(testImages, chosen[j] * 784, shown, j * 784, 784);
        ImageGrid.SaveLabelledSvg(Path.Combine(outputFolder, "mnist-predictions.svg"), shown, chosen.Length, 28, 28,
            [.. chosen.Select(i => predicted[i])], [.. chosen.Select(i => testLabels[i])], columns: 10, pixelScale: 2, title: "Nearest-centroid predictions");
        ConfusionMatrixPlot.FromPredictions(testLabels, predicted, [.. Enumerable.Range(0, 10).Select(c => c.ToString(CultureInfo.InvariantCulture))])
            .SaveSvg(Path.Combine(outputFolder, "confusion.svg"));
        var mean = new float[784];
        for (int c = 0; c < 10; c++) for (int k = 0; k < 784; k++) mean[k] += centroids[c * 784 + k] / 10;
        var weights = new ScratchNet.Tensors.Tensor(784, 10);
        for (int c = 0; c < 10; c++) for (int k = 0; k < 784; k++) weights[k, c] = centroids[c * 784 + k] - mean[k];
        ImageGrid.WeightTiles(weights, 28, 28, maxTiles: 10, columns: 5, pixelScale: 2).SavePng(Path.Combine(outputFolder, "weights.png"));
    }

    private static (float[] Images, int[] Labels) ReadMnist(string dataFolder, string prefix, int count)
    {
        byte[] images = Gunzip(Path.Combine(dataFolder, "mnist", $"{prefix}-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(Path.Combine(dataFolder, "mnist", $"{prefix}-labels-idx1-ubyte.gz"));
        var x = new float[count * 784];
        for (int i = 0; i < x.Length; i++) x[i] = images[16 + i] / 255f;
        return (x, [.. labels.Skip(8).Take(count).Select(b => (int)b)]);
    }

    private static byte[] Gunzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }
}
