using System.Globalization;
using ScratchNet.Cli.Training;
using ScratchNet.Plotting;

namespace ScratchNet.Cli.Reports;

/// <summary>DIR/report.html: the settings, the metrics per epoch, the model summary and every picture of the run, in one self-contained page.</summary>
public static class RunReport
{
    public static string Write(RunOutcome r, IReadOnlyList<(string Caption, string File)> pictures)
    {
        var ci = CultureInfo.InvariantCulture;
        var s = r.Request.Settings;
        var report = new HtmlReport($"{r.Preset.Name}: {r.Preset.ModelDescription}") { Description = r.Preset.Description };
        report.AddSetting("preset", r.Preset.Name)
              .AddSetting("dataset", r.Preset.Dataset)
              .AddSetting("model", r.Preset.ModelDescription)
              .AddSetting("parameters", r.Model.ParameterCount)
              .AddSetting("loss", r.Loss.GetType().Name)
              .AddSetting("optimizer", $"{r.Optimizer.Name} ({string.Join(", ", r.Optimizer.Settings.Select(kv => $"{kv.Key} {kv.Value}"))})")
              .AddSetting("schedule", r.Schedule?.Name ?? "constant")
              .AddSetting("epochs", $"{r.History.Count} of {r.Epochs}{(r.StoppedEarly ? " (early stop)" : "")}{(r.ResumedFromEpoch > 0 ? $", resumed after epoch {r.ResumedFromEpoch}" : "")}")
              .AddSetting("batch size", r.BatchSize)
              .AddSetting("seed", s.Seed.ToString(ci))
              .AddSetting("threads", r.Threads)
              .AddSetting("training samples", r.Train.Count)
              .AddSetting("validation samples", r.Validation?.Count ?? 0)
              .AddSetting("test samples", r.Data.Test.Count);
        if (s.L1 is double l1) report.AddSetting("L1", l1);
        if (s.L2 is double l2) report.AddSetting("L2", l2);
        if (s.WeightDecay is double wd) report.AddSetting("weight decay", wd);
        if (s.Dropout is double dr) report.AddSetting("dropout", dr);
        if (s.EarlyStopping is int es) report.AddSetting("early stopping patience", es);
        if (double.IsFinite(r.Test.Loss)) report.AddSetting("final test loss", r.Test.Loss);
        if (double.IsFinite(r.Test.Accuracy)) report.AddSetting("final test accuracy", r.Test.Accuracy.ToString("P2", ci));
        foreach (var (k, v) in r.Extras) report.AddSetting(k, v);
        report.AddSetting("training time", $"{r.History.Sum(e => e.Seconds).ToString("F1", ci)} s");

        foreach (var m in r.History)
        {
            var row = new List<(string, double)> { ("train loss", m.TrainLoss) };
            if (double.IsFinite(m.TrainAccuracy)) row.Add(("train accuracy", m.TrainAccuracy));
            if (double.IsFinite(m.ValidationLoss)) row.Add(("validation loss", m.ValidationLoss));
            if (double.IsFinite(m.ValidationAccuracy)) row.Add(("validation accuracy", m.ValidationAccuracy));
            if (double.IsFinite(m.TestLoss)) row.Add(("test loss", m.TestLoss));
            if (double.IsFinite(m.TestAccuracy)) row.Add(("test accuracy", m.TestAccuracy));
            row.Add(("learning rate", m.LearningRate));
            row.Add(("seconds", m.Seconds));
            report.AddMetrics(m.Epoch, row.ToArray());
        }
        foreach (var (caption, file) in pictures) report.AddImageFile($"{caption} ({file})", Path.Combine(r.Request.OutDir, file));
        report.AddText("Model", r.Model.Summary());
        if (r.Test.Confusion is { } cm) report.AddText("Per-class precision and recall", cm.ToString());
        var files = new List<string> { "model.safetensors", "metrics.json" };
        if (File.Exists(Path.Combine(r.Request.OutDir, ScratchNet.Serialization.Checkpoint.FileName))) files.Add(ScratchNet.Serialization.Checkpoint.FileName);
        files.AddRange(pictures.Select(p => p.File));
        report.AddText("Files in this folder", string.Join("\n", files));
        return report.Save(r.Request.OutDir);
    }
}
