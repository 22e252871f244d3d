using System.Text.Json;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;

namespace ScratchNet.Training;

public static partial class TrainingJob
{
    /// <summary>
    /// Writes metrics.json: the run's settings and per-epoch lists. Accuracies are fractions; numbers
    /// that are not finite are written as null. Written to a temporary file and renamed, so a reader
    /// never sees half a file.
    /// </summary>
    internal static void WriteMetrics(string path, TrainingJobResult r, Optimizer optimizer, ulong seed)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("preset", r.Preset.Name);
            w.WriteString("dataset", r.Preset.Dataset);
            w.WriteString("model", r.Preset.ModelDescription);
            w.WriteNumber("parameters", r.Model.ParameterCount);
            w.WriteNumber("epochs", r.History.Epochs.Count);
            w.WriteNumber("batch_size", r.BatchSize);
            w.WriteString("optimizer", optimizer.Name);
            w.WriteStartObject("optimizer_settings");
            foreach (var (k, v) in optimizer.Settings) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteNumber("seed", seed);
            w.WriteNumber("threads", r.Threads);
            w.WriteNumber("train_samples", r.Data.Train.Count);
            w.WriteNumber("test_samples", r.Data.Test.Count);
            w.Numbers("epoch_seconds", r.History.Epochs.Select(e => e.Seconds));
            w.Numbers("epoch_cpu_seconds", r.History.Epochs.Select(e => e.CpuSeconds));
            w.Numbers("learning_rate", r.History.Epochs.Select(e => (double)e.LearningRate));
            w.Numbers("train_loss", r.History.Epochs.Select(e => e.TrainLoss));
            w.Numbers("train_accuracy", r.History.Epochs.Select(e => e.TrainAccuracy));
            w.Numbers("test_loss", r.History.Epochs.Select(e => e.TestLoss));
            w.Numbers("test_accuracy", r.History.Epochs.Select(e => e.TestAccuracy));
            w.Number("final_test_loss", r.Test.Loss);
            w.Number("final_test_accuracy", r.Test.Accuracy);
            w.Number("goal_accuracy", r.Preset.GoalAccuracy);
            w.WriteNumber("peak_working_set_bytes", r.PeakWorkingSetBytes);
            w.Confusion(r.Test);
            if (r.Extras.Count > 0)
            {
                w.WriteStartObject("extras");
                foreach (var (k, v) in r.Extras) w.Number(k, v);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }
}
