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
            List("epoch_seconds", r.History.Epochs.Select(e => e.Seconds));
            List("epoch_cpu_seconds", r.History.Epochs.Select(e => e.CpuSeconds));
            List("learning_rate", r.History.Epochs.Select(e => (double)e.LearningRate));
            List("train_loss", r.History.Epochs.Select(e => e.TrainLoss));
            List("train_accuracy", r.History.Epochs.Select(e => e.TrainAccuracy));
            List("test_loss", r.History.Epochs.Select(e => e.TestLoss));
            List("test_accuracy", r.History.Epochs.Select(e => e.TestAccuracy));
            Number("final_test_loss", r.Test.Loss);
            Number("final_test_accuracy", r.Test.Accuracy);
            Number("goal_accuracy", r.Preset.GoalAccuracy);
            w.WriteNumber("peak_working_set_bytes", r.PeakWorkingSetBytes);
            if (r.Test.Confusion is { } cm)
            {
                w.WriteStartArray("confusion_matrix");
                foreach (var row in cm.ToArray())
                {
                    w.WriteStartArray();
                    foreach (long c in row) w.WriteNumberValue(c);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                List("precision", r.Test.Precision);
                List("recall", r.Test.Recall);
            }
            if (r.Extras.Count > 0)
            {
                w.WriteStartObject("extras");
                foreach (var (k, v) in r.Extras) Number(k, v);
                w.WriteEndObject();
            }
            w.WriteEndObject();

            void Number(string name, double value)
            {
                if (double.IsFinite(value)) w.WriteNumber(name, value); else w.WriteNull(name);
            }

            void List(string name, IEnumerable<double> values)
            {
                w.WriteStartArray(name);
                foreach (double v in values)
                    if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
                w.WriteEndArray();
            }
        });
    }
}
