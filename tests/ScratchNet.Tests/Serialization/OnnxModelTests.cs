using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Training.Presets;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// The presets' networks, trained briefly, saved, exported by `scratchnet export --format onnx` and
/// run by OnnxRuntime: its outputs equal ScratchNet's to 1e-4 on the test set (MLPs: all 10,000
/// MNIST test images; the CNN: the first 500, or all 10,000 with SCRATCHNET_ONNX_FULL=1 or with
/// SCRATCHNET_ONNX_CNN=DIR, a run folder of `scratchnet train mnist-cnn`, whose model is used; advertising:
/// every test row, from the raw features with the standardisation the ONNX metadata states).
/// </summary>
[Trait("Category", "Onnx")]
public class OnnxModelTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("mnist-mlp")]
    [InlineData("mnist-mlp-plus")]
    public void MnistMlpMatchesOnTheWholeTestSet(string preset)
    {
        var data = new DatasetManager().Load("mnist");
        var model = PresetCatalog.Get(preset).Model.Build(data, 10).Build(data.Train.SampleShape, 3);
        double accuracy = TrainAndMeasure(model, data, steps: 150, batch: 64, learningRate: 0.05f, testCount: data.Test.Count, out var x, out var expected);
        Assert.InRange(accuracy, 0.85, 1.0);
        using var onnx = ExportThroughTheCli(model, data, out var file);
        var actual = onnx.Run(x);
        Report(preset, file, x.Dim(0), accuracy, actual, expected);
        Assert.Equal("class logits, in class_names order: softmax(output) gives the probabilities, argmax the class", onnx.Metadata["output"]);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], JsonSerializer.Deserialize<string[]>(onnx.Metadata["class_names"])!);
        Assert.StartsWith("pixels as float32 byte / 255 in [0, 1]", onnx.Metadata["preprocessing"]);
        Assert.Equal("[784]", onnx.Metadata["input_shape"]);
        Assert.Contains("flattened row by row", onnx.Metadata["preprocessing"]);
    }

    [Fact]
    public void MnistCnnMatchesOnTheTestSet()
    {
        var data = new DatasetManager().Load("mnist", new DatasetLoadOptions { ChannelsFirst = true });
        // By hand, SCRATCHNET_ONNX_CNN=DIR takes the model of a `scratchnet train mnist-cnn --out DIR` run instead.
        string? given = Environment.GetEnvironmentVariable("SCRATCHNET_ONNX_CNN") is { Length: > 0 } dir ? Path.Combine(dir, "model.safetensors") : null;
        var model = given is null ? PresetCatalog.Get("mnist-cnn").Model.Build(data, 10).Build(data.Train.SampleShape, 3) : ModelFile.Load(given).Model;
        int testCount = given is not null || Environment.GetEnvironmentVariable("SCRATCHNET_ONNX_FULL") == "1" ? data.Test.Count : 500;
        double accuracy = TrainAndMeasure(model, data, steps: given is null ? 30 : 0, batch: 32, learningRate: 0.02f, testCount, out var x, out var expected);
        Assert.InRange(accuracy, 0.7, 1.0);
        using var onnx = ExportThroughTheCli(model, data, out var file);
        var actual = onnx.Run(x);
        Report("mnist-cnn", file, testCount, accuracy, actual, expected);
        Assert.Equal("NCHW: (batch, channels, height, width), float32", onnx.Metadata["input_layout"]);
    }

    [Fact]
    public void AdvertisingRegressionMatchesFromRawFeaturesWithTheStatedStandardisation()
    {
        var scaled = new DatasetManager().Load("advertising", new DatasetLoadOptions { Standardize = StandardizeMode.ZScore });
        var raw = new DatasetManager().Load("advertising");
        var model = new Sequential(new ScratchNet.Layers.Dense(16), new ScratchNet.Layers.Activations.Tanh(), new ScratchNet.Layers.Dense(1)).Build([3], 3);
        var loss = new MeanSquaredError();
        var opt = new TestMomentum(0.01f);
        var (tx, ty) = All(scaled.Train);
        for (int step = 0; step < 300; step++)
        {
            loss.Forward(model.Forward(tx, training: true), ty);
            model.Backward(loss.Backward());
            opt.Step(model.Parameters);
        }
        var (sx, sy) = All(scaled.Test);
        var expected = model.Forward(sx, training: false).Clone();
        double rmse = Math.Sqrt(Enumerable.Range(0, sy.Length).Average(i => Math.Pow(expected.Span[i] - sy.Span[i], 2)));
        Assert.InRange(rmse, 0, 2.5); // sales in thousands of units, from 1.6 to 27: the model has learnt something
        using var temp = new TempFolder();
        string path = temp.File("advertising.safetensors");
        ModelFile.Save(path, model, new ModelMetadata
        {
            Dataset = "advertising", Task = "regression", FeatureNames = scaled.FeatureNames, Target = scaled.TargetName, Standardizer = scaled.Standardizer,
        });
        CliRunner.Ok("export", "--model", path, "--format", "onnx");
        using var onnx = new OnnxRuntimeRunner(File.ReadAllBytes(temp.File("advertising.onnx")));
        // What a user of the ONNX file does: read the raw columns, standardise them as the metadata says.
        var shift = JsonSerializer.Deserialize<float[]>(onnx.Metadata["standardize_shift"])!;
        var scale = JsonSerializer.Deserialize<float[]>(onnx.Metadata["standardize_scale"])!;
        Assert.Equal(["TV", "radio", "newspaper"], JsonSerializer.Deserialize<string[]>(onnx.Metadata["feature_names"])!);
        Assert.Equal("zscore", onnx.Metadata["standardize_mode"]);
        Assert.Equal("predicted values, one per output unit", onnx.Metadata["output"]);
        var (rx, _) = All(raw.Test);
        for (int i = 0; i < rx.Dim(0); i++)
            for (int j = 0; j < 3; j++) rx[i, j] = (rx[i, j] - shift[j]) / scale[j];
        var actual = onnx.Run(rx);
        double diff = OnnxRuntimeRunner.MaxAbsDiff(actual, expected);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"advertising: {sx.Dim(0)} test rows, RMSE {rmse:F3}; max |onnx - scratchnet| = {diff:G3}"));
        Assert.True(diff <= Tolerance, $"advertising: OnnxRuntime differs from ScratchNet by {diff:G3}");
    }

    /// <summary>
    /// A table model (a text column one-hot encoded, a missing cell filled, a standardised target in the
    /// hundreds of thousands) trained and predicted through scratchnet: OnnxRuntime, given the rows
    /// encoded and standardised as the metadata says, gives scratchnet predict's values in the target's units.
    /// </summary>
    [Fact]
    public void ATableModelMatchesPredictInTheTargetsUnits()
    {
        using var temp = new TempFolder();
        var rng = new Rng(5);
        string[] kinds = ["brick", "wood", "stone"];
        var rows = new System.Text.StringBuilder("area,kind,age,price\n");
        for (int i = 0; i < 120; i++)
        {
            double area = 50 + 150 * rng.NextDouble(), age = 80 * rng.NextDouble();
            string kind = kinds[i % 3];
            double price = 1000 * area + (kind == "stone" ? 40_000 : kind == "wood" ? -15_000 : 0) - 500 * age + 5000 * rng.NextGaussian();
            rows.Append(CultureInfo.InvariantCulture, $"{area:F1},{kind},{(i == 7 ? "NA" : age.ToString("F1", CultureInfo.InvariantCulture))},{price:F0}\n");
        }
        string table = temp.File("houses.csv");
        File.WriteAllText(table, rows.ToString());
        string run = temp.File("run");
        CliRunner.Ok("train", "--dataset", table, "--target", "price", "--layers", "8", "--epochs", "40", "--no-plots", "--out", run);
        string input = temp.File("new.csv");
        File.WriteAllText(input, "area,kind,age\n120,stone,10\n75.5,wood,NA\n199,brick,79\n50,wood,0\n");
        using var predicted = JsonDocument.Parse(CliRunner.Ok("predict", "--model", run, "--input", input, "--json"));
        var expected = predicted.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("values")[0].GetSingle()).ToArray();
        Assert.InRange(expected[0], 50_000f, 400_000f); // dollars, not standard deviations

        CliRunner.Ok("export", "--model", run, "--format", "onnx");
        using var onnx = new OnnxRuntimeRunner(File.ReadAllBytes(Path.Combine(run, "model.onnx")));
        Assert.StartsWith("predicted values in the target's units", onnx.Metadata["output"]);
        Assert.Equal(["area", "kind=brick", "kind=stone", "kind=wood", "age"], JsonSerializer.Deserialize<string[]>(onnx.Metadata["input_names"])!);
        // What a user of the ONNX file does: encode the rows as table_encoding says, standardise as the metadata says.
        var encoding = ScratchNet.Data.TableEncoding.FromJson(onnx.Metadata["table_encoding"]);
        var x = encoding.ReadInputs(input);
        var shift = JsonSerializer.Deserialize<float[]>(onnx.Metadata["standardize_shift"])!;
        var scale = JsonSerializer.Deserialize<float[]>(onnx.Metadata["standardize_scale"])!;
        for (int i = 0; i < x.Dim(0); i++)
            for (int j = 0; j < x.Dim(1); j++) x[i, j] = (x[i, j] - shift[j]) / scale[j];
        var actual = onnx.Run(x);
        double relative = Enumerable.Range(0, expected.Length).Max(i => Math.Abs(actual.Span[i] - expected[i]) / Math.Abs(expected[i]));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"table: {expected.Length} rows, largest relative |onnx - scratchnet| = {relative:G3}"));
        Assert.True(relative <= Tolerance, $"table: OnnxRuntime differs from scratchnet predict by {relative:G3} (relative)");
    }

    /// <summary>Trains with momentum SGD on random batches, then returns the test accuracy and the inference logits of the first <paramref name="testCount"/> test samples.</summary>
    private static double TrainAndMeasure(Sequential model, LoadedData data, int steps, int batch, float learningRate, int testCount, out Tensor x, out Tensor logits)
    {
        var loss = new SoftmaxCrossEntropy();
        var opt = new TestMomentum(learningRate);
        var rng = new Rng(11);
        var bx = new Tensor([batch, .. data.Train.SampleShape]);
        var by = new Tensor(batch);
        for (int step = 0; step < steps; step++)
        {
            var idx = Enumerable.Range(0, batch).Select(_ => rng.NextInt(data.Train.Count)).ToArray();
            data.Train.CopyBatch(idx, bx, by);
            loss.Forward(model.Forward(bx, training: true), by);
            model.Backward(loss.Backward());
            opt.Step(model.Parameters);
        }
        x = new Tensor([testCount, .. data.Test.SampleShape]);
        var y = new Tensor(testCount);
        data.Test.CopyBatch(Enumerable.Range(0, testCount).ToArray(), x, y);
        logits = new Tensor(testCount, 10);
        const int chunk = 500;
        int correct = 0;
        for (int start = 0; start < testCount; start += chunk)
        {
            int n = Math.Min(chunk, testCount - start);
            var z = model.Forward(x.SliceRows(start, n), training: false);
            z.Span.CopyTo(logits.Span.Slice(start * 10, n * 10));
            for (int b = 0; b < n; b++)
            {
                var row = z.Row(b);
                int best = 0;
                for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
                if (best == (int)y[start + b]) correct++;
            }
        }
        return correct / (double)testCount;
    }

    private static OnnxRuntimeRunner ExportThroughTheCli(Sequential model, LoadedData data, out string file)
    {
        using var temp = new TempFolder();
        string path = temp.File("model.safetensors");
        ModelFile.Save(path, model, new ModelMetadata { Dataset = "mnist", Task = "classification", ClassNames = data.Test.ClassNames.ToArray() });
        string said = CliRunner.Ok("export", "--model", temp.Path, "--format", "onnx", "--out", temp.File("out/model.onnx"));
        Assert.Contains("output: 'output', float32 (batch, 10): class logits", said);
        byte[] bytes = File.ReadAllBytes(temp.File("out/model.onnx"));
        file = $"{bytes.Length:N0} bytes";
        return new OnnxRuntimeRunner(bytes);
    }

    private void Report(string name, string file, int count, double accuracy, Tensor actual, Tensor expected)
    {
        double diff = OnnxRuntimeRunner.MaxAbsDiff(actual, expected);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: ONNX file {file}; {count} test images, accuracy {accuracy:P2}; max |onnx - scratchnet| = {diff:G3}"));
        Assert.True(diff <= Tolerance, $"{name}: OnnxRuntime differs from ScratchNet by {diff:G3} on the test set");
    }

    private static (Tensor X, Tensor Y) All(Dataset d)
    {
        var x = new Tensor([d.Count, .. d.SampleShape]);
        var y = new Tensor(d.Count, d.TargetWidth);
        d.CopyBatch(Enumerable.Range(0, d.Count).ToArray(), x, y);
        return (x, y);
    }
}
