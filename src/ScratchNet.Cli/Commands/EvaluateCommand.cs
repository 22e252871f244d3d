using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Data;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet evaluate --model FILE [--dataset NAME]`: loss, accuracy, confusion matrix, per-class precision and recall.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = Opt.Text("--model", "The model file (model.safetensors, a run folder, or a checkpoint).", "file");
        model.Required = true;
        var dataset = Opt.Text("--dataset", "The dataset to evaluate on (default: the one the model was trained on); images and 2-D sets use their test split, tables every row.", "name|file.csv");
        var dataDir = Opt.Text("--data-dir", "Folder searched first for dataset files.", "dir");
        var limit = Opt.Integer("--limit", "Evaluate only the first N samples.", min: 1);
        var json = Opt.Flag("--json", "Print the results as one JSON object.");
        var command = new Command("evaluate", "Measure a saved model on a dataset: loss, accuracy, confusion matrix, per-class precision, recall and F1, ROC-AUC for two classes; MAE, RMSE and R² for regression.")
        {
            model, dataset, dataDir, limit, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            if (Serialization.GanFile.IsGan(saved.Metadata))
                throw new CliError($"{saved.Path}: a GAN has no loss of its own on held-out images; judge its samples with 'scratchnet bench gan-quality --model {saved.Path} --classifier DIR'", ExitCodes.InputError);
            string name = parse.GetValue(dataset) ?? saved.Metadata.Dataset
                ?? throw new CliError("the model file does not say which dataset it was trained on: give --dataset. See 'scratchnet evaluate --help' for usage.");
            var data = saved.LoadEvaluationData(name, parse.GetValue(dataDir));
            if (parse.GetValue(limit) is int n && n < data.Count) data = new SubsetDataset($"{data.Name}[:{n}]", data, Enumerable.Range(0, n).ToArray());
            var result = Evaluation.Evaluate(saved.Model, data, saved.CreateLoss(), saved.InferenceBatchSize, saved.DecisionThreshold, saved.Metadata.Encoding?.Target);
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("model", saved.Path);
                    w.WriteString("dataset", name);
                    w.WriteNumber("samples", result.Count);
                    w.Number("loss", result.Loss);
                    w.Number("accuracy", result.Accuracy);
                    w.Regression(result);
                    if (result.Confusion is { } cm)
                    {
                        w.Strings("class_names", cm.ClassNames);
                        w.Confusion(result);
                    }
                });
                return ExitCodes.Success;
            }
            output.WriteLine($"{saved.Path} on {name}: {result.Count} samples");
            output.WriteLine(string.Create(ci, $"loss      {result.Loss:G6}"));
            if (!double.IsNaN(result.RSquared))
                output.WriteLine(string.Create(ci, $"MAE       {result.MeanAbsoluteError:G6}\nRMSE      {result.RootMeanSquaredError:G6}\nR²        {result.RSquared:F4}"));
            if (result.Confusion is { } m)
            {
                output.WriteLine(string.Create(ci, $"accuracy  {result.Accuracy:P2}"));
                output.WriteLine(string.Create(ci, $"macro F1  {result.MacroF1:F4} (precision {result.MacroPrecision:F4}, recall {result.MacroRecall:F4})"));
                if (result.Scores is not null) output.WriteLine(string.Create(ci, $"ROC-AUC   {result.RocAuc:F4}"));
                output.WriteLine();
                output.Write(m.ToString());
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
