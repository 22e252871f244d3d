using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Reports;
using ScratchNet.Cli.Training;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet gradcheck [PRESET | --model FILE]`: compares back-propagated gradients with central
/// differences on a small batch and prints the largest relative error per tensor; exit 4 on failure.
/// </summary>
public static class GradCheckCommand
{
    public static Command Create()
    {
        var preset = new Argument<string?>("preset") { Description = $"A preset whose (freshly initialised) model to check: {string.Join(", ", PresetCatalog.Names)}.", Arity = ArgumentArity.ZeroOrOne };
        var model = Opt.Text("--model", "Check a saved model instead (on samples of its dataset).", "file");
        var samples = Opt.Integer("--samples", "Samples in the batch (default 16).", min: 1, max: 256);
        var seed = Opt.Seed("--seed", "Seed for the initialisation and the checked entries (default 1).");
        var tolerance = Opt.Number("--tolerance", "Largest relative error that passes (default 2e-2).", positive: true);
        var dataDir = Opt.Text("--data-dir", "Folder searched first for dataset files.", "dir");
        var epsilon = Opt.Number("--epsilon", "Central-difference step h in (f(θ+h) - f(θ-h)) / 2h (default 1e-2).", positive: true);
        var checkInput = Opt.Flag("--check-input", "Also check dL/dx (in float32 this is noisy for trained models with large weights).");
        var json = Opt.Flag("--json", "Print the results as one JSON object.");
        var command = new Command("gradcheck", "Check back-propagation against central differences on a small batch; exit code 4 when a gradient is wrong.")
        {
            preset, model, samples, seed, tolerance, epsilon, checkInput, dataDir, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string? presetName = parse.GetValue(preset), modelPath = parse.GetValue(model);
            if ((presetName is null) == (modelPath is null))
                throw new CliError("give a preset or --model FILE (one of them). See 'scratchnet gradcheck --help' for usage.");
            int n = parse.GetValue(samples) ?? 16;
            ulong s = parse.GetValue(seed) ?? 1;
            Sequential net;
            ScratchNet.Losses.Loss loss;
            Dataset data;
            string what;
            if (presetName is not null)
            {
                var p = CliPresets.Get(presetName, "gradcheck");
                var loaded = p.Data.Load(new DatasetManager(new DatasetManagerOptions { DataDir = parse.GetValue(dataDir) }), s);
                data = loaded.Train;
                net = p.CreateModel(loaded).Build(data.SampleShape, s);
                loss = p.CreateLoss(loaded);
                what = $"preset {p.Name}";
            }
            else
            {
                var saved = SavedModel.Load(modelPath!);
                if (n > saved.MaxBatchSize)
                    throw new CliError($"--samples {n} of {saved.ActivationsPerSample:N0} activation values each is more than the limit of {Limits.MaxBatchActivations:N0} in one batch; give --samples {Math.Max(1, saved.MaxBatchSize)} or fewer. See 'scratchnet gradcheck --help' for usage.");
                string name = saved.Metadata.Dataset ?? throw new CliError("the model file does not say which dataset it was trained on", ExitCodes.InputError);
                data = saved.LoadEvaluationData(name, parse.GetValue(dataDir));
                net = saved.Model;
                loss = saved.CreateLoss();
                what = saved.Path;
            }
            var (x, y) = RunPictures.Materialize(data, n);
            x = x.Reshape([x.Dim(0), .. data.SampleShape]);
            var options = new GradientCheckOptions { Seed = s, CheckInput = parse.GetValue(checkInput) };
            if (parse.GetValue(epsilon) is double eps) options = options with { Epsilon = (float)eps };
            if (parse.GetValue(tolerance) is double tol) options = options with { Tolerance = tol };
            var result = GradientCheck.Run(net, loss, x, y, options);
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("model", what);
                    w.WriteNumber("samples", x.Dim(0));
                    w.WriteBoolean("passed", result.Passed);
                    w.WriteNumber("tolerance", result.Tolerance);
                    w.Number("max_relative_error", result.MaxRelativeError);
                    w.WriteStartArray("tensors");
                    foreach (var e in result.Entries)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", e.Name);
                        w.WriteNumber("checked", e.Checked);
                        w.WriteNumber("total", e.Total);
                        w.Number("max_relative_error", e.MaxRelativeError);
                        w.Number("max_absolute_error", e.MaxAbsoluteError);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                });
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gradient check of {what} on {x.Dim(0)} samples ({loss.GetType().Name})"));
                output.Write(result.Report());
            }
            return result.Passed ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }
}
