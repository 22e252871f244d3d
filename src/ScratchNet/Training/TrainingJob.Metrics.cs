using System.Text.Json;

namespace ScratchNet.Training;

public sealed partial class TrainingJob
{
    /// <summary>
    /// metrics.json: the run's settings, the learning rate as the schedule gave it (η₀, the schedule and
    /// its settings, η of each epoch's first step), the per-epoch lists, the final evaluation and the
    /// recipe. Accuracies are fractions; numbers that are not finite are null.
    /// </summary>
    internal static void WriteMetrics(Utf8JsonWriter w, TrainingJobResult r, bool summaryOnly)
    {
        var h = r.History.Epochs;
        w.WriteStartObject();
        w.WriteString("preset", r.Recipe.Name);
        w.WriteString("dataset", r.Recipe.Data.Dataset);
        w.WriteString("model", r.ModelDescription);
        w.WriteNumber("parameters", r.Model.ParameterCount);
        w.WriteNumber("epochs", h.Count);
        w.WriteNumber("planned_epochs", r.Recipe.Epochs);
        w.WriteNumber("batch_size", r.BatchSize);
        w.WriteString("optimizer", r.Optimizer.Name);
        w.WriteStartObject("optimizer_settings");
        foreach (var (k, v) in r.Optimizer.Settings) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteNumber("base_learning_rate", r.Schedule.BaseRate);
        w.WriteString("schedule", r.Schedule.Name);
        w.WriteStartObject("schedule_settings");
        foreach (var (k, v) in r.Schedule.Settings) if (k != "schedule") w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteNumber("seed", r.Recipe.Seed);
        w.WriteNumber("threads", r.Threads);
        w.WriteString("device", r.Device);
        w.WriteNumber("train_samples", r.TrainingSet.Count);
        if (r.Recipe.StepsPerEpoch is int steps) w.WriteNumber("steps_per_epoch", steps);
        w.WriteNumber("validation_samples", r.ValidationSet?.Count ?? 0);
        w.WriteNumber("test_samples", r.Data.Test.Count);
        w.WriteNumber("resumed_from_epoch", r.ResumedFromEpoch);
        w.WriteBoolean("stopped_early", r.History.StoppedEarly);
        w.WriteNumber("final_weights_epoch", r.History.FinalWeightsEpoch);
        if (!summaryOnly)
        {
            w.Numbers("epoch_seconds", h.Select(e => e.Seconds));
            w.Numbers("epoch_cpu_seconds", h.Select(e => e.CpuSeconds));
            w.Numbers("learning_rate", h.Select(e => (double)e.LearningRate));
            w.Numbers("train_loss", h.Select(e => e.TrainLoss));
            w.Numbers("train_accuracy", h.Select(e => e.TrainAccuracy));
            w.Numbers("validation_loss", h.Select(e => e.ValidationLoss));
            w.Numbers("validation_accuracy", h.Select(e => e.ValidationAccuracy));
            w.Numbers("test_loss", h.Select(e => e.TestLoss));
            w.Numbers("test_accuracy", h.Select(e => e.TestAccuracy));
        }
        w.Number("final_train_loss", h.Count > 0 ? h[^1].TrainLoss : double.NaN);
        w.Number("final_test_loss", r.Test.Loss);
        w.Number("final_test_accuracy", r.Test.Accuracy);
        if (r.Test.Confusion is not null) w.Number("final_test_macro_f1", r.Test.MacroF1);
        if (r.Test.Scores is not null) w.Number("final_test_roc_auc", r.Test.RocAuc);
        if (!double.IsNaN(r.ChosenThreshold))
        {
            w.Number("chosen_threshold", r.ChosenThreshold);
            w.WriteString("chosen_threshold_rule", $"the logit threshold maximising F1 on the {(r.ValidationSet is null ? "training" : "validation")} samples");
        }
        if (!double.IsNaN(r.Test.RSquared))
        {
            w.Number("final_test_mae", r.Test.MeanAbsoluteError);
            w.Number("final_test_rmse", r.Test.RootMeanSquaredError);
            w.Number("final_test_r2", r.Test.RSquared);
        }
        w.Number("goal_accuracy", r.Recipe.GoalAccuracy);
        w.Number("train_seconds", h.Sum(e => e.Seconds));
        if (r.PeakWorkingSetBytes is { } peak) w.WriteNumber("peak_working_set_bytes", peak);
        else w.WriteNull("peak_working_set_bytes");
        if (!summaryOnly) w.Confusion(r.Test);
        if (r.Extras.Count > 0)
        {
            w.WriteStartObject("extras");
            foreach (var (k, v) in r.Extras) w.Number(k, v);
            w.WriteEndObject();
        }
        if (!summaryOnly && RecipeJson(r.Recipe) is { } recipe)
        {
            w.WritePropertyName("recipe");
            using var doc = JsonDocument.Parse(recipe);
            doc.RootElement.WriteTo(w);
        }
        w.WriteEndObject();
    }
}
