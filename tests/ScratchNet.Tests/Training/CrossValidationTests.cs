using System.Globalization;
using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Hostile;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Training;

/// <summary>
/// K-fold cross-validation: each fold one TrainingJob with that fold as its test split, the mean and
/// standard deviation of the folds' metrics, metrics.json and report.html but no model, the same bits
/// whatever the thread count, and every wrong setting refused in one line.
/// </summary>
public class CrossValidationTests
{
    /// <summary>120 customers: plan (text), months (numeric, some NA), spend; churn mostly when short on the basic plan.</summary>
    private static string Customers(int count = 120)
    {
        var rows = new List<string> { "plan,months,spend,churn" };
        for (int i = 0; i < count; i++)
        {
            string plan = (i % 3) switch { 0 => "basic", 1 => "plus", _ => "pro" };
            string months = i % 7 == 0 ? "NA" : (i % 24 + 1).ToString(CultureInfo.InvariantCulture);
            bool churn = (plan == "basic" && i % 24 < 12) || i % 11 == 0;
            rows.Add($"{plan},{months},{i * 37 % 500},{(churn ? "Yes" : "No")}");
        }
        return string.Join("\n", rows) + "\n";
    }

    private static Recipe Logistic(string csv) => PresetCatalog.Churn with
    {
        Data = PresetCatalog.Churn.Data with { Dataset = csv, LogFeatures = ["months", "spend"] },
        Epochs = 5, BatchSize = 16,
    };

    [Fact]
    public void EachFoldIsTestedOnceByAModelTrainedOnTheOthers()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers());
        string outDir = Path.Combine(dir.Path, "cv");
        var started = new List<int>();
        var cv = CrossValidation.Run(Logistic(csv), 4, new TrainingJobOptions { OutDir = outDir, Threads = 1 }, (i, job) => { started.Add(i); return null; });

        Assert.Equal([0, 1, 2, 3], started);
        Assert.Equal(4, cv.Folds.Count);
        Assert.True(cv.Stratified);
        var held = cv.Folds.SelectMany(f => f.Data.TestRows!).ToArray();
        Assert.Equal(Enumerable.Range(0, 120), held.Order());
        Assert.All(cv.Folds, f => Assert.Equal(90, f.Data.Train.Count));
        Assert.All(cv.Folds, f => Assert.Equal(30, f.Data.Test.Count));
        var auc = cv.Values("final_test_roc_auc");
        Assert.Equal(auc.Average(), cv.Mean("final_test_roc_auc"), 12);
        double mean = auc.Average();
        Assert.Equal(Math.Sqrt(auc.Sum(a => (a - mean) * (a - mean)) / 3), cv.StandardDeviation("final_test_roc_auc"), 12);
        Assert.Equal(["final_test_loss", "final_test_accuracy", "final_test_macro_f1", "final_test_roc_auc"], cv.AppliedMetrics);

        // Each fold is the job a recipe naming that fold runs: the same bits.
        var third = TrainingJob.Run(Logistic(csv) with { Data = Logistic(csv).Data with { Fold = new CrossValidationFold { Index = 2, Count = 4 } } }, new TrainingJobOptions { Threads = 1 });
        Assert.Equal(third.Test.Scores, cv.Folds[2].Test.Scores);

        Assert.Equal(["metrics.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("cross_validation").GetProperty("folds").GetInt32());
        Assert.False(root.GetProperty("cross_validation").GetProperty("model_written").GetBoolean());
        Assert.Equal(cv.Mean("final_test_roc_auc"), root.GetProperty("mean").GetProperty("final_test_roc_auc").GetDouble());
        Assert.Equal(cv.StandardDeviation("final_test_accuracy"), root.GetProperty("std").GetProperty("final_test_accuracy").GetDouble());
        var folds = root.GetProperty("folds");
        Assert.Equal(4, folds.GetArrayLength());
        Assert.Equal(cv.Folds[1].Data.TestRows, folds[1].GetProperty("test_rows").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(auc[3], folds[3].GetProperty("final_test_roc_auc").GetDouble());
        Assert.Equal(["months", "spend"], root.GetProperty("recipe").GetProperty("data").GetProperty("log_features").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void TheThreadCountChangesNoBit()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers());
        var one = CrossValidation.Run(Logistic(csv) with { Model = new MlpRecipe { Hidden = [8] } }, 3, new TrainingJobOptions { Threads = 1 });
        var two = CrossValidation.Run(Logistic(csv) with { Model = new MlpRecipe { Hidden = [8] } }, 3, new TrainingJobOptions { Threads = 2 });
        for (int i = 0; i < 3; i++) Assert.Equal(one.Folds[i].Test.Scores, two.Folds[i].Test.Scores);
    }

    [Fact]
    public void ARegressionIsDealtUnstratifiedAndSummarisedByR2()
    {
        using var dir = new TempFolder();
        string csv = dir.File("houses.csv");
        File.WriteAllText(csv, "area,zone,price\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{50 + i * 7 % 90},{(i % 2 == 0 ? "A" : "B")},{100 + i * 7 % 90 * 2 + (i % 2) * 30}\n")));
        var recipe = PresetCatalog.HousePrices with { Data = PresetCatalog.HousePrices.Data with { Dataset = csv, Target = "price" }, Epochs = 3 };
        var cv = CrossValidation.Run(recipe, 5);
        Assert.False(cv.Stratified);
        Assert.Contains("final_test_r2", cv.AppliedMetrics);
        Assert.DoesNotContain("final_test_roc_auc", cv.AppliedMetrics);
        Assert.All(cv.Folds, f => Assert.Equal(8, f.Data.Test.Count));
    }

    [Fact]
    public void WrongSettingsAreRefused()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers(6));
        Assert.Contains("2 to 1,000 folds (got 1)", Assert.Throws<ArgumentException>(() => CrossValidation.Run(Logistic(csv), 1)).Message);
        Assert.Contains("already names a fold", Assert.Throws<ArgumentException>(() =>
            CrossValidation.Run(Logistic(csv) with { Data = Logistic(csv).Data with { Fold = new CrossValidationFold { Index = 0, Count = 2 } } }, 2)).Message);
        Refusal.Library<DataFormatException>("the file has 6 data rows: too few for 7 folds", 16L << 20, () => CrossValidation.Run(Logistic(csv), 7));
        Assert.Contains("apply to tables and CSV files, not to xor", Assert.Throws<ArgumentException>(() => CrossValidation.Run(PresetCatalog.Xor, 3)).Message);
        string run = Path.Combine(dir.Path, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, TrainingJob.ModelFileName), "");
        Assert.Contains("holds a trained model", Assert.Throws<ArgumentException>(() => CrossValidation.Run(Logistic(csv), 2, new TrainingJobOptions { OutDir = run })).Message);
    }

    /// <summary>A recipe's fold and log features travel through its JSON (a checkpoint's recipe), and a fold out of range there is refused.</summary>
    [Fact]
    public void TheFoldAndTheLogFeaturesSurviveTheRecipesJson()
    {
        var recipe = PresetCatalog.Churn with { Data = PresetCatalog.Churn.Data with { Fold = new CrossValidationFold { Index = 1, Count = 5 } } };
        var back = Recipe.FromJson(recipe.ToJson());
        Assert.Equal(recipe.Data.Fold, back.Data.Fold);
        Assert.Equal(["tenure", "total_charges"], back.Data.LogFeatures);
        var bad = Recipe.FromJson(recipe.ToJson().Replace("\"index\":1", "\"index\":5"));
        Assert.Contains("Fold 5 is not one of the 5 folds", Assert.Throws<ArgumentException>(bad.Validate).Message);
    }

    /// <summary>train --folds: the table and mean on the console, metrics.json and report.html, no model; and the wrong uses, one line each.</summary>
    [Fact]
    public void TrainWithFoldsReportsEachFoldAndTheMean()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers());
        string run = Path.Combine(dir.Path, "cv");
        string shown = CliRunner.Ok("train", "--dataset", csv, "--target", "churn", "--choose-threshold", "--log-features", "months,spend", "--folds", "3", "--epochs", "3", "--out", run, "--plain");
        Assert.Contains("3-fold cross-validation, stratified by class, seed 1", shown);
        Assert.Contains("ROC-AUC", shown);
        Assert.Contains("\nmean ", shown);
        Assert.Contains("\nsd ", shown);
        Assert.True(File.Exists(Path.Combine(run, "metrics.json")));
        Assert.Contains("ROC-AUC (mean &#177; sd)", File.ReadAllText(Path.Combine(run, "report.html")));
        Assert.False(File.Exists(Path.Combine(run, "model.safetensors")));
        using var json = JsonDocument.Parse(CliRunner.Ok("train", "--dataset", csv, "--target", "churn", "--folds", "2", "--epochs", "2", "--out", Path.Combine(dir.Path, "cv2"), "--json"));
        Assert.Equal(2, json.RootElement.GetProperty("folds").GetArrayLength());
        Assert.False(json.RootElement.GetProperty("folds")[0].TryGetProperty("test_rows", out _));

        Refusal.Cli(1, "--folds", 16L << 20, "train", "--dataset", csv, "--folds", "1", "--out", Path.Combine(dir.Path, "a"));
        Refusal.Cli(2, "the file has 120 data rows: too few for 121 folds", 16L << 20, "train", "--dataset", csv, "--target", "churn", "--folds", "121", "--out", Path.Combine(dir.Path, "b"));
        string single = Path.Combine(dir.Path, "single");
        CliRunner.Ok("train", "--dataset", csv, "--target", "churn", "--epochs", "1", "--out", single, "--plain", "--no-plots");
        Refusal.Cli(1, "--folds cannot be given with it", 16L << 20, "train", "--resume", single, "--folds", "3");
        Refusal.Cli(1, "holds a trained model (model.safetensors): cross-validation writes no model", 16L << 20, "train", "--dataset", csv, "--target", "churn", "--folds", "3", "--out", single);
        Refusal.Cli(1, "not to xor", 16L << 20, "train", "xor", "--folds", "3", "--out", Path.Combine(dir.Path, "c"));
        Refusal.Cli(1, "--log-features 'months,,spend': an empty column name", 16L << 20, "train", "--dataset", csv, "--log-features", "months,,spend", "--out", Path.Combine(dir.Path, "d"));
        Refusal.Cli(2, "column 'plan' holds text ('basic' on line 2): only a numeric column can be a log feature", 16L << 20,
            "train", "--dataset", csv, "--target", "churn", "--log-features", "plan", "--out", Path.Combine(dir.Path, "e"));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "b")) && File.Exists(Path.Combine(dir.Path, "b", "metrics.json")));
    }

    /// <summary>A model trained with --log-features reads its columns as log(1 + x) at prediction, and refuses a negative value there.</summary>
    [Fact]
    public void PredictAppliesTheLogAndRefusesANegativeValue()
    {
        using var dir = new TempFolder();
        string csv = dir.File("customers.csv");
        File.WriteAllText(csv, Customers());
        string run = Path.Combine(dir.Path, "run");
        CliRunner.Ok("train", "--dataset", csv, "--target", "churn", "--log-features", "spend", "--epochs", "2", "--out", run, "--plain", "--no-plots");
        string rows = dir.File("new.csv");
        File.WriteAllText(rows, "plan,months,spend\npro,3,10\n");
        using var predicted = JsonDocument.Parse(CliRunner.Ok("predict", "--model", run, "--input", rows, "--json"));
        Assert.Equal(1, predicted.RootElement.GetProperty("predictions").GetArrayLength());
        File.WriteAllText(rows, "plan,months,spend\npro,3,10\nbasic,2,-1\n");
        Refusal.Cli(2, $"{rows}: line 3, column 3 ('spend'): -1 is below 0, but the model reads column 'spend' as log(1 + x)", 16L << 20,
            "predict", "--model", run, "--input", rows);
    }
}
