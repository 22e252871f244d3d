using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Plotting;
using ScratchNet.Tensors;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Reports;

/// <summary>
/// The pictures of a training run, chosen by what the data is: loss and accuracy curves for every
/// run; a fitted line with its animation for one-feature regression (tv-marketing); a decision
/// boundary with its animation for 2-D classification (xor, spirals); a confusion matrix for
/// classifiers; weight tiles, filters, feature maps and a predictions grid for images; the attention
/// of each head, block by block, for one test sequence of a transformer. Animation
/// frames are collected after each epoch (as an observer of the training), the rest at the end.
/// </summary>
public sealed class RunPictures : ITrainingObserver
{
    private readonly string _dir;
    private readonly Recipe _recipe;
    private readonly LoadedData _data;
    private readonly Sequential _model;
    private readonly int _every, _epochs;
    private readonly DecisionBoundaryPlot? _boundary;
    private readonly DecisionBoundaryAnimation? _boundaryAnimation;
    private readonly FittedLineAnimation? _lineAnimation;
    private readonly SamplePictures? _samples;
    private readonly bool _gan;
    private readonly float[]? _lineX, _lineY;
    private int _lastFrameEpoch = -1;
    private CancellationToken _cancel;

    /// <summary>The pictures of <paramref name="job"/>, written to <paramref name="dir"/>; an animation frame every <paramref name="every"/> epochs (null: about 50 frames).</summary>
    public RunPictures(string dir, TrainingJob job, int? every)
    {
        _dir = dir;
        _recipe = job.Recipe;
        _data = job.Data;
        _model = job.Model;
        _epochs = job.Recipe.Epochs;
        _every = every ?? Math.Max(1, (int)Math.Ceiling(_epochs / 50.0));
        var data = _data;
        var train = job.TrainingSet;
        var model = _model;
        int[] shape = train.SampleShape;
        _gan = job.Gan is not null;
        var generator = job.Gan is { } gan ? Serialization.GanFile.GeneratorOf(gan) : _recipe.Model.Generator(data);
        if (generator is { IsGenerator: true }) _samples = new SamplePictures(new ImageGenerator(job.Gan?.Stack ?? model, generator), _every);
        if (_samples is not null) return; // a generator's pictures are its samples
        if (shape is [2] && train.ClassCount > 0)
        {
            var (x, y) = Materialize(train, 2000);
            string xl = data.FeatureNames.Count == 2 ? data.FeatureNames[0] : "x1", yl = data.FeatureNames.Count == 2 ? data.FeatureNames[1] : "x2";
            _boundary = new DecisionBoundaryPlot(x, y) { Width = 480, Height = 480, XLabel = xl, YLabel = yl, PointRadius = x.Rows > 500 ? 2.5 : 5 };
            var framePlot = new DecisionBoundaryPlot(x, y) { Width = 320, Height = 320, XLabel = xl, YLabel = yl, GridStep = 2, PointRadius = x.Rows > 500 ? 1.5 : 4 };
            framePlot.Range = _boundary.Range;
            _boundaryAnimation = new DecisionBoundaryAnimation(framePlot) { Every = _every };
        }
        else if (shape is [1] && train.ClassCount == 0 && train.TargetWidth == 1)
        {
            var (x, y) = Materialize(data.Train, 5000);
            data.Standardizer?.Inverse(x);
            _lineX = x.Span.ToArray();
            _lineY = y.Span.ToArray();
            if (IsLinear(model))
                _lineAnimation = new FittedLineAnimation(_lineX, _lineY) { Every = _every, XLabel = XName, YLabel = YName };
        }
    }

    private string XName => _data.FeatureNames.Count > 0 ? _data.FeatureNames[0] : "x";
    private string YName => _data.TargetName ?? "y";

    /// <summary>After each epoch: its animation frames.</summary>
    public void OnEpochEnd(EpochMetrics metrics) => OnEpoch(metrics.Epoch, metrics.TestLoss, last: metrics.Epoch == _epochs);

    /// <summary>After epoch <paramref name="epoch"/> (0 = before training): adds animation frames.</summary>
    public void OnEpoch(int epoch, double loss, bool last)
    {
        double? l = double.IsFinite(loss) ? loss : null;
        _samples?.OnEpoch(epoch, last);
        if (_boundaryAnimation is { } a && (a.Captures(epoch, last)))
        {
            if (Binary(out _)) a.AddEpoch(epoch, ProbabilityOfClass1, l, last);
            else a.AddEpochClasses(epoch, Classify, l, last);
            _lastFrameEpoch = epoch;
        }
        if (_lineAnimation is { } f)
        {
            var (b, w) = Line();
            if (f.AddEpoch(epoch, b, w, l, last)) _lastFrameEpoch = epoch;
        }
    }

    /// <summary>Draws the end-of-run pictures; returns (caption, file name) of every picture written, in report order.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: checked before each picture, each written whole or not at all.</exception>
    public List<(string Caption, string File)> Finish(TrainingJobResult r, CancellationToken cancellationToken = default)
    {
        _cancel = cancellationToken;
        var files = new List<(string, string)>();
        var h = r.History.Epochs;
        if (h.Count > 0)
        {
            var lossChart = new LineChart { Title = "Loss per epoch", XLabel = "epoch", YLabel = "loss", ShowMarkers = h.Count <= 30 };
            var epochs = h.Select(e => (double)e.Epoch).ToArray();
            lossChart.AddSeries("training", epochs, h.Select(e => e.TrainLoss));
            if (r.ValidationSet is not null) lossChart.AddSeries("validation", epochs, h.Select(e => e.ValidationLoss), LineStyle.Dashed);
            if (HasTest(r)) lossChart.AddSeries("test", epochs, h.Select(e => e.TestLoss), LineStyle.Dotted);
            lossChart.LogY = h.All(e => e.TrainLoss > 0) && h.Max(e => e.TrainLoss) / Math.Max(1e-12, h.Min(e => e.TrainLoss)) > 30;
            Save(files, (!_gan ? "Loss per epoch: " : "The discriminator's loss per epoch: ") + Against(r), "loss.svg", p => lossChart.SaveSvg(p));
            if (r.TrainingSet.ClassCount > 0)
            {
                var acc = new LineChart { Title = "Accuracy per epoch", XLabel = "epoch", YLabel = "accuracy", ShowMarkers = h.Count <= 30 };
                acc.AddSeries("training", epochs, h.Select(e => e.TrainAccuracy));
                if (r.ValidationSet is not null) acc.AddSeries("validation", epochs, h.Select(e => e.ValidationAccuracy), LineStyle.Dashed);
                if (HasTest(r)) acc.AddSeries("test", epochs, h.Select(e => e.TestAccuracy), LineStyle.Dotted);
                Save(files, (!_gan ? "Accuracy per epoch: " : "The discriminator's accuracy on real and generated images: ") + Against(r), "accuracy.svg", p => acc.SaveSvg(p));
            }
        }
        if (_samples is not null) files.AddRange(_samples.Finish(_dir, r.History.FinalWeightsEpoch, cancellationToken));
        if (_gan) return files;

        if (_lineX is not null)
        {
            var chart = new ScatterChart { Title = $"{YName} against {XName}", XLabel = XName, YLabel = YName };
            chart.AddPoints("data", _lineX, _lineY!);
            string caption;
            if (IsLinear(_model))
            {
                var (b, w) = Line();
                chart.AddLine(string.Create(CultureInfo.InvariantCulture, $"fit: {b:G5} + {w:G5} x"), b, w);
                caption = string.Create(CultureInfo.InvariantCulture, $"The data and the fitted line {YName} = {b:G5} + {w:G5} · {XName} (original units)");
            }
            else
            {
                double lo = _lineX.Min(), hi = _lineX.Max();
                var xs = Enumerable.Range(0, 101).Select(i => lo + (hi - lo) * i / 100).ToArray();
                chart.AddCurve("model", xs, PredictOriginal(xs));
                caption = "The data and the model's curve (original units)";
            }
            Save(files, caption, "fit.svg", p => chart.SaveSvg(p));
            if (_lineAnimation is { } f)
            {
                if (_lastFrameEpoch < h.Count && h.Count > 0) { var (b, w) = Line(); f.AddEpoch(h[^1].Epoch, b, w, h[^1].TrainLoss, last: true); }
                Save(files, $"The fitted line during training (every {_every} epoch{(_every == 1 ? "" : "s")})", "fit-animation.gif", p => f.Save(p));
            }
        }

        if (_boundary is not null)
        {
            var image = Binary(out _) ? _boundary.RenderProbabilities(ProbabilityOfClass1, FinalCaption(r)) : _boundary.RenderClasses(Classify, FinalCaption(r));
            Save(files, "Decision boundary after training, with the training points", "decision-boundary.png", p => PngEncoder.Save(p, image));
            if (_boundaryAnimation is { } a)
            {
                int lastEpoch = h.Count > 0 ? h[^1].Epoch : 0;
                if (_lastFrameEpoch != lastEpoch)
                {
                    if (Binary(out _)) a.AddEpoch(lastEpoch, ProbabilityOfClass1, h.Count > 0 ? h[^1].TestLoss : null, last: true);
                    else a.AddEpochClasses(lastEpoch, Classify, h.Count > 0 ? h[^1].TestLoss : null, last: true);
                }
                Save(files, $"The decision boundary during training (every {_every} epoch{(_every == 1 ? "" : "s")})", "decision-boundary.gif", p => a.Save(p));
            }
        }

        if (r.Test.Confusion is { } cm)
        {
            var counts = new int[cm.ClassCount, cm.ClassCount];
            for (int a = 0; a < cm.ClassCount; a++)
                for (int p = 0; p < cm.ClassCount; p++) counts[a, p] = (int)cm[a, p];
            var plot = new ConfusionMatrixPlot(counts, cm.ClassNames) { Title = $"Confusion matrix ({cm.Total} test samples)" };
            Save(files, "Confusion matrix on the test set: rows are true classes, columns predictions", "confusion-matrix.svg", p => plot.SaveSvg(p));
        }

        int[] shape = r.TrainingSet.SampleShape;
        bool images = shape is [784] || shape is [1, 28, 28];
        if (images && r.TrainingSet.ClassCount > 0)
        {
            var conv = _model.Layers.OfType<Conv2D>().FirstOrDefault();
            if (conv is not null)
            {
                Save(files, "First-layer convolution filters (blue negative, red positive)", "filters.png", p => ConvolutionPictures.SaveFilters(p, conv));
                int convIndex = IndexOf(conv);
                int mapLayer = convIndex + 1 < _model.Layers.Count && _model.Layers[convIndex + 1] is Layers.Activations.Activation ? convIndex + 1 : convIndex;
                var (x, _) = Materialize(r.Data.Test, 1);
                Save(files, "Feature maps of the first test image after the first convolution", "feature-maps.png",
                     p => ConvolutionPictures.SaveFeatureMaps(p, _model, x.Reshape(shape), mapLayer));
            }
            else if (_model.Layers.OfType<Dense>().FirstOrDefault() is { } dense && dense.Weight.Value.Length % 784 == 0)
            {
                Save(files, "First-layer weights of the first 64 units as 28x28 images (blue negative, red positive)", "weights.png",
                     p => PngEncoder.Save(p, ImageGrid.WeightTiles(dense.Weight.Value, 28, 28, maxTiles: 64, columns: 8, pixelScale: 3)));
            }
            if (r.Test.Predictions is { } predicted)
            {
                int count = Math.Min(40, r.Data.Test.Count);
                var (x, y) = Materialize(r.Data.Test, count);
                var truth = y.Span.ToArray().Select(v => (int)v).ToArray();
                Save(files, "The first test images with the predicted class (mistakes in red, with the true class)", "predictions.svg",
                     p => ImageGrid.SaveLabelledSvg(p, x.Span, count, 28, 28, predicted.Take(count).ToArray(), truth, r.TrainingSet.ClassNames, columns: 10, pixelScale: 2,
                                                   title: "Test images and predictions"));
            }
        }
        if (_model.Layers.Any(l => l is TransformerBlock or CausalSelfAttention) && r.Data.Vocabulary is { } vocabulary && r.Data.Test.Count > 0)
        {
            var (x, _) = Materialize(r.Data.Test, 1);
            var labels = x.Span.ToArray().Select(v => vocabulary.Display((int)v)).ToArray();
            var layers = AttentionPictures.Layers(_model, x, labels);
            for (int l = 0; l < layers.Count; l++)
            {
                var image = layers[l];
                Save(files, $"Attention of each head in block {l + 1} for the first test sequence: row i holds the weights that position i gives to the positions j ≤ i (white 0, dark blue 1; grey: masked)",
                     $"attention-{l + 1}.png", p => PngEncoder.Save(p, image));
            }
        }
        if (r.Data.Test is ReconstructionDataset test && _recipe.Model.Generator(_data) is { } spec && spec.Image is [1, int height, int width])
            AddAutoencoderPictures(files, new ImageGenerator(_model, spec), test, height, width);
        return files;
    }

    /// <summary>
    /// An autoencoder's pictures: test images over their reconstructions; for a 2-D code, the decoded
    /// grid of the latent plane and the test images' codes (μ for a VAE) coloured by their class (an
    /// image generator's samples are <see cref="SamplePictures"/>').
    /// </summary>
    private void AddAutoencoderPictures(List<(string, string)> files, ImageGenerator generator, ReconstructionDataset test, int height, int width)
    {
        const int shown = 12;
        var (x, _) = test.Take(shown);
        int n = x.Dim(0);
        var tiles = new float[2 * n * height * width];
        x.Span.CopyTo(tiles);
        generator.Decode(generator.Encode(x)).Span.CopyTo(tiles.AsSpan(n * height * width));
        Save(files, $"The first {n} test images (top) and their reconstructions (bottom){(generator.Spec.IsGenerator ? ", decoded from z = μ" : "")}", "reconstructions.png",
             p => PngEncoder.Save(p, ImageGrid.Tiles(tiles, 2 * n, height, width, n, ColorMap.Gray, TileScaling.UnitRange, pixelScale: 2)));
        if (!generator.Spec.IsGenerator || generator.Latent != 2) return;

        const int steps = 15;
        const float reach = 2.5f;
        var codes = new Tensor(steps * steps, 2);
        for (int row = 0; row < steps; row++)
            for (int col = 0; col < steps; col++)
            {
                codes[(row * steps + col) * 2] = -reach + 2 * reach * col / (steps - 1);
                codes[(row * steps + col) * 2 + 1] = reach - 2 * reach * row / (steps - 1); // z₂ grows upwards
            }
        var plane = generator.Decode(codes);
        Save(files, $"The latent plane: the decoder on a {steps} × {steps} grid of z from -{reach} to {reach} (z₁ to the right, z₂ up)", "latent-grid.png",
             p => PngEncoder.Save(p, ImageGrid.Tiles(plane.Span, steps * steps, height, width, steps, ColorMap.Gray, TileScaling.UnitRange, pixelScale: 1, gap: 0)));

        var (images, labels) = test.Source.Take(5000);
        var mu = generator.Encode(images);
        var chart = new ScatterChart { Title = $"The codes of {mu.Dim(0)} test images, by class", XLabel = "z₁", YLabel = "z₂", Width = 560, Height = 520, MarkerRadius = 1.6 };
        var names = test.Source.ClassNames;
        for (int c = 0; c < Math.Max(1, test.Source.ClassCount); c++)
        {
            var rows = Enumerable.Range(0, mu.Dim(0)).Where(i => test.Source.ClassCount == 0 || (int)labels[i] == c).ToArray();
            chart.AddPoints(test.Source.ClassCount == 0 ? "test" : names[c], rows.Select(i => mu[i * 2]), rows.Select(i => mu[i * 2 + 1]), Palette.Class(c));
        }
        Save(files, $"The test images' codes{(generator.Spec.IsGenerator ? " (μ)" : "")} in the latent plane, coloured by class", "latent-scatter.svg", p => chart.SaveSvg(p));
    }

    /// <summary>What the curves compare: the training figures are measured during each epoch, the others after it.</summary>
    private static string Against(TrainingJobResult r)
    {
        bool test = HasTest(r);
        string others = (r.ValidationSet is not null, test) switch
        {
            (true, true) => "validation and test",
            (true, false) => "validation",
            (false, true) => "test",
            _ => "",
        };
        return others.Length == 0
            ? ReferenceEquals(r.Data.Test, r.Data.Train) ? "training (the training set is also the test set)" : "training (during each epoch)"
            : $"training (during each epoch) against {others} (after it)";
    }

    /// <summary>Whether the run was evaluated on a test set apart from its training set (a GAN's is not).</summary>
    private static bool HasTest(TrainingJobResult r) => !ReferenceEquals(r.Data.Test, r.Data.Train) && r.History.Epochs.Any(e => !double.IsNaN(e.TestLoss));

    private void Save(List<(string, string)> files, string caption, string name, Action<string> write)
    {
        _cancel.ThrowIfCancellationRequested();
        write(Path.Combine(_dir, name));
        files.Add((caption, name));
    }

    private int IndexOf(Layer layer)
    {
        for (int i = 0; i < _model.Layers.Count; i++) if (ReferenceEquals(_model.Layers[i], layer)) return i;
        return -1;
    }

    private static string FinalCaption(TrainingJobResult r) =>
        double.IsFinite(r.Test.Accuracy) ? string.Create(CultureInfo.InvariantCulture, $"epoch {r.History.FinalWeightsEpoch}: {r.Test.Accuracy:P1} correct") : $"epoch {r.History.FinalWeightsEpoch}";

    private static bool IsLinear(Sequential model) => model.Layers is [Dense];

    /// <summary>Intercept and slope in original units: f(0) and f(1) - f(0) through the standardisation.</summary>
    private (double Intercept, double Slope) Line()
    {
        var y = PredictOriginal([0.0, 1.0]);
        return (y[0], y[1] - y[0]);
    }

    private double[] PredictOriginal(double[] xs)
    {
        var input = new Tensor(xs.Length, 1);
        for (int i = 0; i < xs.Length; i++) input.Span[i] = (float)xs[i];
        _data.Standardizer?.Transform(input);
        var output = Evaluation.Predict(_model, input, 4096);
        return output.Span.ToArray().Select(v => (double)v).ToArray();
    }

    private bool Binary(out int outputs)
    {
        outputs = _model.OutputShape.Length == 1 ? _model.OutputShape[0] : 0;
        return outputs is 1 or 2;
    }

    private float[] ProbabilityOfClass1(float[,] grid)
    {
        var output = Evaluation.Predict(_model, Tensor.FromRows(grid), 8192);
        int n = grid.GetLength(0);
        var p = new float[n];
        var o = output.Span;
        Binary(out int outputs);
        for (int i = 0; i < n; i++)
        {
            if (outputs == 1) p[i] = _recipe.BinaryThreshold == 0 ? 1f / (1f + MathF.Exp(-o[i])) : Math.Clamp(o[i], 0f, 1f);
            else
            {
                float a = o[2 * i], b = o[2 * i + 1], m = Math.Max(a, b);
                float ea = MathF.Exp(a - m), eb = MathF.Exp(b - m);
                p[i] = eb / (ea + eb);
            }
        }
        return p;
    }

    private int[] Classify(float[,] grid)
    {
        var output = Evaluation.Predict(_model, Tensor.FromRows(grid), 8192);
        int n = grid.GetLength(0), k = output.Length / Math.Max(1, n);
        var classes = new int[n];
        var o = output.Span;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int c = 1; c < k; c++) if (o[i * k + c] > o[i * k + best]) best = c;
            classes[i] = best;
        }
        return classes;
    }

    /// <summary>The first <paramref name="max"/> samples as (features (n, ...shape), targets).</summary>
    internal static (Tensor X, Tensor Y) Materialize(Dataset data, int max)
    {
        var (x, y) = data.Take(max);
        return (x.Reshape(x.Dim(0), -1), y);
    }
}
