using System.Text.Json;

namespace ScratchNet.Training;

/// <summary>
/// How metrics are written as JSON, in one place for metrics.json and the CLI's --json output:
/// numbers that are not finite become null, and an evaluation's confusion matrix comes with its
/// per-class precision and recall.
/// </summary>
public static class MetricsJson
{
    /// <summary>A number, or null when it is NaN or infinite.</summary>
    public static void Number(this Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value); else w.WriteNull(name);
    }

    /// <summary>An array of numbers, null where one is NaN or infinite.</summary>
    public static void Numbers(this Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
            if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
        w.WriteEndArray();
    }

    /// <summary>
    /// "confusion_matrix" (rows: true class, columns: predicted), per-class "precision", "recall" and
    /// "f1", their macro averages and, for two classes, "roc_auc", when the evaluation has a confusion
    /// matrix (a classifier); nothing otherwise.
    /// </summary>
    public static void Confusion(this Utf8JsonWriter w, EvaluationResult result)
    {
        if (result.Confusion is not { } cm) return;
        w.WriteStartArray("confusion_matrix");
        foreach (var row in cm.ToArray())
        {
            w.WriteStartArray();
            foreach (long c in row) w.WriteNumberValue(c);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.Numbers("precision", result.Precision);
        w.Numbers("recall", result.Recall);
        w.Numbers("f1", result.F1);
        w.Number("macro_precision", result.MacroPrecision);
        w.Number("macro_recall", result.MacroRecall);
        w.Number("macro_f1", result.MacroF1);
        if (result.Scores is not null) w.Number("roc_auc", result.RocAuc);
    }

    /// <summary>"mae", "rmse" and "r2" (in the target's units) for a regression evaluation; nothing otherwise.</summary>
    public static void Regression(this Utf8JsonWriter w, EvaluationResult result)
    {
        if (double.IsNaN(result.MeanAbsoluteError)) return;
        w.Number("mae", result.MeanAbsoluteError);
        w.Number("rmse", result.RootMeanSquaredError);
        w.Number("r2", result.RSquared);
    }
}
