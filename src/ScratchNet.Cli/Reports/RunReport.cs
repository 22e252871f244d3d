using System.Globalization;
using ScratchNet.Training.Presets;
using ScratchNet.Plotting;

namespace ScratchNet.Cli.Reports;

/// <summary>DIR/report.html: the settings, the metrics per epoch, the model summary and every picture of the run, in one self-contained page.</summary>
public static class RunReport
{
    /// <summary>Writes DIR/report.html for <paramref name="r"/> with <paramref name="pictures"/> (caption, file name in DIR); returns its path.</summary>
    public static string Write(TrainingJobResult r, IReadOnlyList<(string Caption, string File)> pictures)
    {
        var ci = CultureInfo.InvariantCulture;
        var recipe = r.Recipe;
        var h = r.History;
        string dir = r.OutDir ?? throw new ArgumentException("The run wrote no files: it has no folder for a report.");
        var report = new HtmlReport($"{recipe.Name}: {r.ModelDescription}") { Description = recipe.Description };
        report.AddSetting("preset", recipe.Name)
              .AddSetting("dataset", recipe.Data.Dataset)
              .AddSetting("model", r.ModelDescription)
              .AddSetting("parameters", r.Model.ParameterCount)
              .AddSetting("loss", r.Loss.Name)
              .AddSetting("optimizer", OptimizerText(r))
              .AddSetting("base learning rate", r.Schedule.BaseRate.ToString("G", ci))
              .AddSetting("schedule", ScheduleText(r))
              .AddSetting("epochs", $"{h.Epochs.Count} of {recipe.Epochs}{(h.StoppedEarly ? " (early stop)" : "")}{(r.ResumedFromEpoch > 0 ? $", resumed after epoch {r.ResumedFromEpoch}" : "")}")
              .AddSetting("batch size", r.BatchSize)
              .AddSetting("seed", recipe.Seed.ToString(ci))
              .AddSetting("threads", r.Threads)
              .AddSetting("training samples", r.TrainingSet.Count)
              .AddSetting("validation samples", r.ValidationSet?.Count ?? 0)
              .AddSetting("test samples", r.Data.Test.Count);
        if (recipe.Regularization is { } reg)
        {
            if (reg.L1 != 0) report.AddSetting("L1", reg.L1);
            if (reg.L2 != 0) report.AddSetting("L2", reg.L2);
            if (reg.DecoupledWeightDecay != 0) report.AddSetting("weight decay", reg.DecoupledWeightDecay);
        }
        if (recipe.Model is MlpRecipe { Dropout: > 0 } mlp) report.AddSetting("dropout", mlp.Dropout);
        if (recipe.Model is CnnRecipe { Dropout: > 0 } cnn) report.AddSetting("dropout", cnn.Dropout);
        if (recipe.EarlyStopping is { } es) report.AddSetting("early stopping patience", es.Patience);
        if (double.IsFinite(r.Test.Loss)) report.AddSetting("final test loss", r.Test.Loss);
        if (double.IsFinite(r.Test.Accuracy)) report.AddSetting("final test accuracy", r.Test.Accuracy.ToString("P2", ci));
        if (r.Test.Confusion is not null) report.AddSetting("final test macro F1", r.Test.MacroF1.ToString("F4", ci));
        if (r.Test.Scores is not null) report.AddSetting("final test ROC-AUC", r.Test.RocAuc.ToString("F4", ci));
        if (!double.IsNaN(r.ChosenThreshold)) report.AddSetting("chosen threshold (logit)", $"{r.ChosenThreshold.ToString("G6", ci)}, maximising F1 on the {(r.ValidationSet is null ? "training" : "validation")} samples");
        if (!double.IsNaN(r.Test.RSquared))
        {
            report.AddSetting("final test MAE", r.Test.MeanAbsoluteError.ToString("G6", ci));
            report.AddSetting("final test RMSE", r.Test.RootMeanSquaredError.ToString("G6", ci));
            report.AddSetting("final test R²", r.Test.RSquared.ToString("F4", ci));
        }
        if (recipe.ClassWeights is { } cw) report.AddSetting("class weights", cw);
        if (r.Data.Encoding?.Target is { } ts) report.AddSetting("target standardised", $"mean {ts.Mean.ToString("G6", ci)}, scale {ts.Scale.ToString("G6", ci)} (losses and metrics in the target's units)");
        foreach (var (k, v) in r.Extras) report.AddSetting(k, v);
        report.AddSetting("training time", $"{h.Epochs.Sum(e => e.Seconds).ToString("F1", ci)} s");

        foreach (var m in h.Epochs)
        {
            var row = new List<(string, double)> { ("train loss", m.TrainLoss) };
            if (double.IsFinite(m.TrainAccuracy)) row.Add(("train accuracy", m.TrainAccuracy));
            if (double.IsFinite(m.ValidationLoss)) row.Add(("validation loss", m.ValidationLoss));
            if (double.IsFinite(m.ValidationAccuracy)) row.Add(("validation accuracy", m.ValidationAccuracy));
            if (double.IsFinite(m.TestLoss)) row.Add(("test loss", m.TestLoss));
            if (double.IsFinite(m.TestAccuracy)) row.Add(("test accuracy", m.TestAccuracy));
            row.Add(("learning rate (first step)", m.LearningRate));
            row.Add(("seconds", m.Seconds));
            report.AddMetrics(m.Epoch, row.ToArray());
        }
        foreach (var (caption, file) in pictures) report.AddImageFile($"{caption} ({file})", Path.Combine(dir, file));
        if (r.Data.Vocabulary is { } vocabulary && r.Model is Models.Sequential languageModel)
            report.AddText($"Samples (temperature 1, seed {recipe.Seed.ToString(ci)}; scratchnet generate draws more)",
                new ScratchNet.Training.TextGenerator(languageModel, vocabulary).Samples(vocabulary.HasBoundary ? 10 : 1, new Rng(recipe.Seed)));
        report.AddText("Model", r.Model.Summary());
        if (r.Test.Confusion is { } cm) report.AddText("Per-class precision, recall and F1", cm.ToString());
        var files = new List<string> { "model.safetensors", "metrics.json" };
        if (File.Exists(Path.Combine(dir, ScratchNet.Serialization.Checkpoint.FileName))) files.Add(ScratchNet.Serialization.Checkpoint.FileName);
        files.AddRange(pictures.Select(p => p.File));
        report.AddText("Files in this folder", string.Join("\n", files));
        return report.Save(dir);
    }

    private static string OptimizerText(TrainingJobResult r)
    {
        var settings = r.Optimizer.Settings.Select(kv => $"{kv.Key} {kv.Value}").ToArray();
        return settings.Length == 0 ? r.Optimizer.Name : $"{r.Optimizer.Name} ({string.Join(", ", settings)})";
    }

    private static string ScheduleText(TrainingJobResult r)
    {
        var settings = r.Schedule.Settings.Where(kv => kv.Key != "schedule").Select(kv => $"{kv.Key} {kv.Value}").ToArray();
        string text = settings.Length == 0 ? r.Schedule.Name : $"{r.Schedule.Name} ({string.Join(", ", settings)})";
        return text + "; the table gives η at each epoch's first step";
    }
}
