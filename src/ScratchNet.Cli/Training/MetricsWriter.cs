using System.Text.Json;
using ScratchNet.Serialization;

namespace ScratchNet.Cli.Training;

/// <summary>
/// Writes DIR/metrics.json: the run's settings and per-epoch lists, with the keys of
/// TrainingJob's metrics.json (dataset, model, parameters, epochs, batch_size, optimizer, seed,
/// threads, epoch_seconds, train_loss, test_loss, test_accuracy, final_test_accuracy,
/// peak_working_set_bytes, ...) plus validation lists and how the run ended. Accuracies are
/// fractions; numbers that are not finite are null. Written atomically.
/// </summary>
public static class MetricsWriter
{
    public static void Write(RunOutcome r)
    {
        AtomicFile.Write(r.MetricsPath, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            WriteObject(w, r);
        });
    }

    /// <summary>The metrics as one JSON object (what --json prints, without the per-epoch lists when <paramref name="compact"/>).</summary>
    public static string ToJson(RunOutcome r, bool compact)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = !compact }))
            WriteObject(w, r, compact);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteObject(Utf8JsonWriter w, RunOutcome r, bool summaryOnly = false)
    {
        var h = r.History;
        w.WriteStartObject();
        w.WriteString("preset", r.Preset.Name);
        w.WriteString("dataset", r.Preset.Dataset);
        w.WriteString("model", r.Preset.ModelDescription);
        w.WriteNumber("parameters", r.Model.ParameterCount);
        w.WriteNumber("epochs", h.Count);
        w.WriteNumber("planned_epochs", r.Epochs);
        w.WriteNumber("batch_size", r.BatchSize);
        w.WriteString("optimizer", r.Optimizer.Name);
        w.WriteStartObject("optimizer_settings");
        foreach (var (k, v) in r.Optimizer.Settings) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteString("schedule", r.Schedule?.Name ?? "constant");
        w.WriteNumber("seed", r.Request.Settings.Seed);
        w.WriteNumber("threads", r.Threads);
        w.WriteNumber("train_samples", r.Train.Count);
        w.WriteNumber("validation_samples", r.Validation?.Count ?? 0);
        w.WriteNumber("test_samples", r.Data.Test.Count);
        w.WriteNumber("resumed_from_epoch", r.ResumedFromEpoch);
        w.WriteBoolean("stopped_early", r.StoppedEarly);
        w.WriteNumber("final_weights_epoch", r.FinalWeightsEpoch);
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
        w.Number("goal_accuracy", r.Preset.GoalAccuracy);
        w.Number("train_seconds", h.Sum(e => e.Seconds));
        w.WriteNumber("peak_working_set_bytes", r.PeakWorkingSetBytes);
        if (!summaryOnly) w.Confusion(r.Test);
        if (r.Extras.Count > 0)
        {
            w.WriteStartObject("extras");
            foreach (var (k, v) in r.Extras) w.Number(k, v);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
