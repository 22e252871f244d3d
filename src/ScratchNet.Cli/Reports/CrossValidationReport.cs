using System.Globalization;
using ScratchNet.Plotting;

namespace ScratchNet.Cli.Reports;

/// <summary>DIR/report.html of a cross-validation: the settings, and each fold's test metrics with their mean and standard deviation.</summary>
public static class CrossValidationReport
{
    /// <summary>Writes DIR/report.html for <paramref name="r"/>; returns its path.</summary>
    public static string Write(CrossValidationResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        string dir = r.OutDir ?? throw new ArgumentException("The cross-validation wrote no files: it has no folder for a report.");
        var first = r.Folds[0];
        var report = new HtmlReport($"{r.Recipe.Name}: {r.Folds.Count}-fold cross-validation") { Description = r.Recipe.Description };
        report.AddSetting("preset", r.Recipe.Name)
              .AddSetting("dataset", r.Recipe.Data.Dataset)
              .AddSetting("model", first.ModelDescription)
              .AddSetting("folds", $"{r.Folds.Count}{(r.Stratified ? ", stratified by class" : "")}, dealt from seed {r.Recipe.Seed.ToString(ci)}")
              .AddSetting("epochs", r.Recipe.Epochs)
              .AddSetting("batch size", first.BatchSize)
              .AddSetting("loss", first.Loss.Name);
        if (r.Recipe.Data.LogFeatures is { Count: > 0 } logs) report.AddSetting("log(1 + x) features", string.Join(", ", logs));
        foreach (var m in r.AppliedMetrics)
            report.AddSetting($"{Label(m)} (mean ± sd)", $"{r.Mean(m).ToString("G5", ci)} ± {r.StandardDeviation(m).ToString("G3", ci)}");
        report.AddText("Test metrics of each fold (its model trained on the other folds)", string.Join("\n", Table(r)));
        report.AddText("Files in this folder", "metrics.json\nreport.html\n(no model: each fold's saw only part of the rows; train without --folds for one)");
        return report.Save(dir);
    }

    /// <summary>The per-fold table as text lines: one row a fold, then the mean and the standard deviation.</summary>
    public static IEnumerable<string> Table(CrossValidationResult r)
    {
        var metrics = r.AppliedMetrics;
        yield return $"{"fold",-6}{"test rows",10}" + string.Concat(metrics.Select(m => $"{Label(m),12}"));
        for (int i = 0; i < r.Folds.Count; i++)
            yield return $"{i + 1,-6}{r.Folds[i].Data.Test.Count,10}" + string.Concat(metrics.Select(m => Cell(CrossValidationResult.Metric(r.Folds[i], m))));
        yield return $"{"mean",-6}{"",10}" + string.Concat(metrics.Select(m => Cell(r.Mean(m))));
        yield return $"{"sd",-6}{"",10}" + string.Concat(metrics.Select(m => Cell(r.StandardDeviation(m))));
    }

    /// <summary>A table cell: four decimals, or six significant digits for a large value (a loss in squared dollars).</summary>
    private static string Cell(double value) =>
        " " + value.ToString(Math.Abs(value) < 1e4 ? "F4" : "G6", CultureInfo.InvariantCulture).PadLeft(11);

    private static string Label(string metric) => metric switch
    {
        "final_test_loss" => "loss",
        "final_test_accuracy" => "accuracy",
        "final_test_macro_f1" => "macro F1",
        "final_test_roc_auc" => "ROC-AUC",
        "final_test_mae" => "MAE",
        "final_test_rmse" => "RMSE",
        "final_test_r2" => "R²",
        _ => metric,
    };
}
