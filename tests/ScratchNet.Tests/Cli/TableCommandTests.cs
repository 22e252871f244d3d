using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Hostile;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Cli;

/// <summary>
/// Real tables through the command line: text columns, missing cells, --features, --class-weights,
/// the metrics in metrics.json and `evaluate`, the saved preprocessing applied by `predict`, and every
/// new option with a wrong value (one line, exit 1 or 2, nothing written).
/// </summary>
public class TableCommandTests
{
    /// <summary>60 customers: plan (text), months (numeric, some NA), calls; churn Yes when short and on the basic plan, mostly.</summary>
    private static string Customers(int count = 60)
    {
        var rows = new List<string> { "plan,months,calls,churn" };
        for (int i = 0; i < count; i++)
        {
            string plan = (i % 3) switch { 0 => "basic", 1 => "plus", _ => "pro" };
            string months = i % 7 == 0 ? "NA" : (i % 24 + 1).ToString(CultureInfo.InvariantCulture);
            bool churn = (plan == "basic" && i % 24 < 12) || i % 11 == 0;
            rows.Add($"{plan},{months},{i % 5},{(churn ? "Yes" : "No")}");
        }
        return string.Join("\n", rows) + "\n";
    }

    // Prices in thousands with cents: not whole numbers, so the task is regression.
    private const string Houses = "area,zone,rooms,price\n100,A,2,100.5\n200,B,,210.25\n150,A,3,160.75\n400,C,5,390.5\n500,NA,6,520.25\n"
        + "120,B,2,130.5\n330,C,4,320.75\n260,A,3,250.5\n410,B,5,420.25\n180,C,2,170.5\n";

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void AClassifierOnTextColumnsReportsF1AndRocAucAndPredictsNewRows()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers());
        string run = Path.Combine(dir.Path, "run");
        CliRunner.Ok("train", "--dataset", csv, "--target", "churn", "--class-weights", "balanced", "--epochs", "5", "--out", run, "--plain", "--no-plots");
        var metrics = Json(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(2, metrics.GetProperty("f1").GetArrayLength());
        Assert.True(metrics.GetProperty("roc_auc").GetDouble() is >= 0 and <= 1);
        Assert.True(metrics.GetProperty("final_test_macro_f1").ValueKind == JsonValueKind.Number);
        Assert.Contains("ROC-AUC", File.ReadAllText(Path.Combine(run, "report.html")));
        var saved = ModelFile.Load(Path.Combine(run, "model.safetensors")).Metadata;
        Assert.Equal(["plan=basic", "plan=plus", "plan=pro", "months", "calls"], saved.Encoding!.InputNames);
        Assert.NotNull(saved.Extra["class_weights"]);

        var evaluated = Json(CliRunner.Ok("evaluate", "--model", run, "--dataset", csv, "--json"));
        Assert.Equal(60, evaluated.GetProperty("samples").GetInt32());
        Assert.True(evaluated.TryGetProperty("roc_auc", out _));
        Assert.Contains("macro F1", CliRunner.Ok("evaluate", "--model", run, "--dataset", csv));

        string rows = dir.File("new.csv");
        File.WriteAllText(rows, "calls,plan,months\n1,pro,\n2,basic,3\n");
        var predicted = Json(CliRunner.Ok("predict", "--model", run, "--input", rows, "--json"));
        Assert.Equal(2, predicted.GetProperty("predictions").GetArrayLength());
        File.WriteAllText(rows, "calls,plan,months\n1,pro,2\n2,gold,3\n");
        Refusal.Cli(2, $"{rows}: line 3, column 2 ('plan'): category 'gold' was not seen in training (the model knows 3: 'basic', 'plus', 'pro')", 16L << 20,
            "predict", "--model", run, "--input", rows);
        Refusal.Cli(2, "category 'gold' was not seen in training", 16L << 20, "evaluate", "--model", run, "--dataset", Shown(rows, "churn"));
    }

    /// <summary>The same file with a churn column, for evaluate.</summary>
    private static string Shown(string rows, string target)
    {
        string path = rows + ".labelled.csv";
        File.WriteAllText(path, $"calls,plan,months,{target}\n1,pro,2,No\n2,gold,3,Yes\n");
        return path;
    }

    /// <summary>
    /// A price regression on two chosen columns: metrics in dollars (MAE, RMSE, R²), and predict's value
    /// is the model's output restored from the standardised target, through the same saved encoding.
    /// </summary>
    [Fact]
    public void ARegressionOnChosenFeaturesReportsR2AndPredictsInTheTargetsUnits()
    {
        using var dir = new TempFolder();
        string csv = dir.File("houses.csv");
        File.WriteAllText(csv, Houses);
        string run = Path.Combine(dir.Path, "run");
        var summary = Json(CliRunner.Ok("train", "--dataset", csv, "--target", "price", "--features", "area,zone", "--epochs", "30", "--out", run, "--plain", "--no-plots", "--json"));
        Assert.True(summary.GetProperty("final_test_rmse").GetDouble() > 0);
        Assert.True(summary.GetProperty("final_test_r2").ValueKind == JsonValueKind.Number);
        var (model, meta) = ModelFile.Load(Path.Combine(run, "model.safetensors"));
        Assert.Equal(["area", "zone"], meta.Encoding!.ColumnNames);
        Assert.NotNull(meta.Encoding.Target);

        string rows = dir.File("new.csv");
        File.WriteAllText(rows, "zone,area\nC,300\n");
        var x = meta.Encoding.ReadInputs(rows);
        meta.Standardizer!.Transform(x);
        var y = Evaluation.Predict(model, x);
        meta.Encoding.Target!.Restore(y.Span);
        var predicted = Json(CliRunner.Ok("predict", "--model", run, "--input", rows, "--json"));
        double value = predicted.GetProperty("predictions")[0].GetProperty("values")[0].GetDouble();
        Assert.Equal(y.Span[0], value, 1e-3);
        Assert.True(value is > 50 and < 1000, $"a price of {value}: not restored to thousands of dollars");

        string text = CliRunner.Ok("evaluate", "--model", run, "--dataset", csv);
        Assert.Contains("R²", text);
        Assert.Contains("RMSE", text);
    }

    [Fact]
    public void BadTableOptionsAreRefusedInOneLineWithNothingWritten()
    {
        using var dir = new TempFolder();
        string csv = dir.File("houses.csv");
        File.WriteAllText(csv, Houses);
        string run = Path.Combine(dir.Path, "run");
        string[] Train(params string[] more) => ["train", "--dataset", csv, "--out", run, "--plain", "--no-plots", "--epochs", "1", .. more];
        Refusal.Cli(1, "Class weights apply to classification", 16L << 20, Train("--target", "price", "--class-weights", "balanced"));
        Refusal.Cli(2, $"{csv}: no column named 'size'", 16L << 20, Train("--target", "price", "--features", "area,size"));
        Refusal.Cli(1, "--features 'area,,zone': an empty column name", 16L << 20, Train("--target", "price", "--features", "area,,zone"));
        Refusal.Cli(1, "The target column 'price' cannot also be a feature", 16L << 20, Train("--target", "price", "--features", "area,price"));
        Refusal.Cli(1, "The feature column 'area' is named twice", 16L << 20, Train("--target", "price", "--features", "area,area"));
        Refusal.Cli(1, "unknown class-weights 'inverse'", 16L << 20, Train("--target", "price", "--class-weights", "inverse"));
        Refusal.Cli(1, "Feature columns apply to tables and CSV files, not to moons", 16L << 20,
            "train", "--dataset", "moons", "--features", "x", "--out", run, "--plain", "--no-plots", "--epochs", "1");

        string empty = dir.File("empty.csv");
        File.WriteAllText(empty, "area,notes,price\n1,,2.5\n2,NA,3.5\n3,,4.5\n");
        Refusal.Cli(2, $"{empty}: column 'notes' has no value in any row (every cell is empty or NA): leave it out of the features", 16L << 20,
            "train", "--dataset", empty, "--target", "price", "--out", run, "--plain", "--no-plots", "--epochs", "1");
        string ids = dir.File("ids.csv");
        File.WriteAllText(ids, "id,y\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"c{i},{i % 2}\n")));
        Refusal.Cli(2, $"{ids}: line 1026, column 1 ('id'): the column has more than 1,024 distinct text values (Limits.MaxCategoriesPerColumn)", 16L << 20,
            "train", "--dataset", ids, "--out", run, "--plain", "--no-plots", "--epochs", "1");
        Assert.False(File.Exists(Path.Combine(run, "model.safetensors")));
        Assert.False(File.Exists(Path.Combine(run, "metrics.json")));
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    /// <summary>A model file whose table encoding is malformed or does not fit the model is refused in one line, exit 2.</summary>
    [Theory]
    [InlineData("""{"columns":[{"name":"zone","categories":["A","A"],"fill_category":0}]}""", "lists category 'A' twice")]
    [InlineData("""{"columns":[{"name":"area","fill":1},{"name":"rooms","fill":2}]}""", "the table encoding makes 2 inputs but the model's input has 3 values")]
    [InlineData("""{"columns":"area"}""", "not an object with a 'columns' array")]
    public void AModelFileWithABadTableEncodingIsRefused(string encoding, string expected)
    {
        using var dir = new TempFolder();
        string path = Refusal.ModelFile(dir, """{"input_shape":[3],"layers":[]}""", new Dictionary<string, string> { ["table_encoding"] = encoding });
        string rows = dir.File("rows.csv");
        File.WriteAllText(rows, "area,rooms,zone\n1,2,A\n");
        Refusal.Cli(2, expected, 16L << 20, "predict", "--model", path, "--input", rows);
    }

    /// <summary>
    /// The chosen threshold: the logit maximising F1 on the validation split, used for the test metrics
    /// and saved in the model file.
    /// </summary>
    [Fact]
    public void TheThresholdIsChosenOnTheValidationSplitAndSaved()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers(400));
        var recipe = PresetCatalog.Churn with { Data = PresetCatalog.Churn.Data with { Dataset = csv, LogFeatures = null }, Epochs = 5, ValidationSplit = 0.1 };
        string run = Path.Combine(dir.Path, "run");
        var result = TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = run });
        Assert.True(double.IsFinite(result.ChosenThreshold));
        var validation = Evaluation.Evaluate(result.Model, result.ValidationSet!, null);
        Assert.Equal(BinaryMetrics.BestF1Threshold(validation.Scores, validation.Labels).Threshold, result.ChosenThreshold);
        var meta = ModelFile.Load(Path.Combine(run, "model.safetensors")).Metadata;
        Assert.Equal(result.ChosenThreshold, double.Parse(meta.Extra["chosen_threshold"], CultureInfo.InvariantCulture));
        var expected = Evaluation.Evaluate(result.Model, result.Data.Test, null, threshold: (float)result.ChosenThreshold);
        Assert.Equal(expected.Accuracy, result.Test.Accuracy);
    }

    /// <summary>--choose-threshold on a custom run: one logit, BCE, the chosen threshold in metrics.json and the model; refused on a regression.</summary>
    [Fact]
    public void ACustomBinaryRunChoosesItsThreshold()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers(300));
        string run = Path.Combine(dir.Path, "run");
        CliRunner.Ok("train", "--dataset", csv, "--target", "churn", "--choose-threshold", "--validation-split", "0.2", "--epochs", "5", "--out", run, "--plain", "--no-plots");
        var metrics = Json(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal("the logit threshold maximising F1 on the validation samples", metrics.GetProperty("chosen_threshold_rule").GetString());
        var meta = ModelFile.Load(Path.Combine(run, "model.safetensors")).Metadata;
        Assert.Equal(metrics.GetProperty("chosen_threshold").GetDouble(), double.Parse(meta.Extra["chosen_threshold"], CultureInfo.InvariantCulture));
        Assert.Equal("BinaryCrossEntropyWithLogits", meta.Extra["loss"]);

        string houses = dir.File("houses.csv");
        File.WriteAllText(houses, Houses);
        Refusal.Cli(1, "Choosing a threshold applies to a binary classifier with one logit output (the BinaryCrossEntropyWithLogits loss); houses has a numeric target (regression)", 16L << 20,
            "train", "--dataset", houses, "--target", "price", "--choose-threshold", "--out", run + "2", "--plain", "--no-plots");
        Assert.False(Directory.Exists(run + "2") && File.Exists(Path.Combine(run + "2", "model.safetensors")));
    }

    /// <summary>A threshold cannot be chosen for two softmax outputs: refused before any training.</summary>
    [Fact]
    public void ChoosingAThresholdNeedsOneLogit()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingJob.Create(PresetCatalog.Moons with { TuneThreshold = true }));
        Assert.Contains("one logit output", e.Message);
    }
}
