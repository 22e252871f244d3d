using System.Text.Json;
using ScratchNet.Training.Presets;

namespace ScratchNet.Training;

/// <summary>
/// What a <see cref="CrossValidation"/> run produced: each fold's <see cref="TrainingJobResult"/> (its
/// test split is the fold), and over the K folds the mean and the sample standard deviation
/// s = √(Σ(mᵢ - m̄)² / (K - 1)) of every final test metric.
/// </summary>
public sealed class CrossValidationResult
{
    /// <summary>The final test metrics summarised, as named in metrics.json; each applies to classification or regression only.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        ["final_test_loss", "final_test_accuracy", "final_test_macro_f1", "final_test_roc_auc", "final_test_mae", "final_test_rmse", "final_test_r2"];

    internal CrossValidationResult(Recipe recipe, IReadOnlyList<TrainingJobResult> folds, string? outDir, IReadOnlyList<string> notes)
    {
        Recipe = recipe;
        Folds = folds;
        OutDir = outDir;
        Notes = notes;
    }

    /// <summary>The recipe cross-validated (without a fold).</summary>
    public Recipe Recipe { get; }

    /// <summary>Each fold's run, fold 0 first: its model, its test evaluation on the fold, its history.</summary>
    public IReadOnlyList<TrainingJobResult> Folds { get; }

    /// <summary>Whether the folds were stratified by class (classification) rather than dealt at random (regression).</summary>
    public bool Stratified => Folds[0].Data.Train.ClassCount > 0;

    /// <summary>The output folder (metrics.json only), or null.</summary>
    public string? OutDir { get; }

    /// <summary>Path of metrics.json, when an output folder was given.</summary>
    public string? MetricsPath => OutDir is null ? null : Path.Combine(OutDir, TrainingJob.MetricsFileName);

    /// <summary>What locking the output folder did that a user may want to know (<see cref="IO.RunFolderLock.Notes"/>).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>One fold's value of <paramref name="metric"/> (one of <see cref="MetricNames"/>); NaN where it does not apply.</summary>
    /// <exception cref="ArgumentException">An unknown metric name.</exception>
    public static double Metric(TrainingJobResult fold, string metric)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var t = fold.Test;
        return metric switch
        {
            "final_test_loss" => t.Loss,
            "final_test_accuracy" => t.Accuracy,
            "final_test_macro_f1" => t.Confusion is null ? double.NaN : t.MacroF1,
            "final_test_roc_auc" => t.RocAuc,
            "final_test_mae" => t.MeanAbsoluteError,
            "final_test_rmse" => t.RootMeanSquaredError,
            "final_test_r2" => t.RSquared,
            _ => throw new ArgumentException($"Unknown metric '{metric}' (known: {string.Join(", ", MetricNames)})."),
        };
    }

    /// <summary>The metric of every fold, fold 0 first.</summary>
    public double[] Values(string metric) => Folds.Select(f => Metric(f, metric)).ToArray();

    /// <summary>m̄ = (1/K) Σ mᵢ over the folds (NaN where the metric does not apply).</summary>
    public double Mean(string metric) => Values(metric).Average();

    /// <summary>s = √(Σ(mᵢ - m̄)² / (K - 1)), the sample standard deviation over the folds.</summary>
    public double StandardDeviation(string metric)
    {
        var v = Values(metric);
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }

    /// <summary>The metrics that apply to this task (finite in some fold).</summary>
    public IReadOnlyList<string> AppliedMetrics => MetricNames.Where(m => Values(m).Any(double.IsFinite)).ToArray();

    /// <summary>
    /// metrics.json of a cross-validation: the preset, dataset and model, "cross_validation" (K, the
    /// seed, whether stratified, that no model was written), "mean" and "std" of each applicable final
    /// test metric, "folds" (each fold's summary as <see cref="TrainingJobResult.ToJson"/> gives it, with
    /// its "fold" number from 1 and its "test_rows", the data rows held out, 0-based in file order) and the recipe.
    /// </summary>
    /// <param name="indented">Indented, or one line.</param>
    /// <param name="testRows">Whether each fold lists its "test_rows" (one number a row of the table).</param>
    public string ToJson(bool indented = true, bool testRows = true)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            var first = Folds[0];
            w.WriteStartObject();
            w.WriteString("preset", Recipe.Name);
            w.WriteString("dataset", Recipe.Data.Dataset);
            w.WriteString("model", first.ModelDescription);
            w.WriteStartObject("cross_validation");
            w.WriteNumber("folds", Folds.Count);
            w.WriteNumber("seed", Recipe.Seed);
            w.WriteBoolean("stratified", Stratified);
            w.WriteBoolean("model_written", false);
            w.WriteEndObject();
            var metrics = AppliedMetrics;
            w.WriteStartObject("mean");
            foreach (var m in metrics) w.Number(m, Mean(m));
            w.WriteEndObject();
            w.WriteStartObject("std");
            foreach (var m in metrics) w.Number(m, StandardDeviation(m));
            w.WriteEndObject();
            w.WriteStartArray("folds");
            for (int i = 0; i < Folds.Count; i++)
            {
                using var fold = JsonDocument.Parse(Folds[i].ToJson(summaryOnly: true, indented: false));
                w.WriteStartObject();
                w.WriteNumber("fold", i + 1);
                foreach (var p in fold.RootElement.EnumerateObject())
                    if (p.Name is not ("preset" or "dataset" or "model")) p.WriteTo(w);
                // Which rows were held out, so that another tool can score the very same folds.
                if (testRows && Folds[i].Data.TestRows is { } rows)
                {
                    w.WriteStartArray("test_rows");
                    foreach (int row in rows) w.WriteNumberValue(row);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.Number("train_seconds", Folds.Sum(f => f.History.Epochs.Sum(e => e.Seconds)));
            try
            {
                using var recipe = JsonDocument.Parse(Recipe.ToJson());
                w.WritePropertyName("recipe");
                recipe.RootElement.WriteTo(w);
            }
            catch (NotSupportedException)
            {
                // A model kind defined outside the library has no JSON form.
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
