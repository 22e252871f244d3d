using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Progress;
using ScratchNet.Cli.Training;
using ScratchNet.Serialization;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet train [PRESET] [options]`: trains a preset or a custom MLP and writes the model, metrics, checkpoints, pictures and report.html.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Argument<string?>("preset")
        {
            Description = $"The recipe to train: {string.Join(", ", CliPresets.Names)}. Leave out and give --dataset for a custom MLP.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var dataset = Opt.Text("--dataset", "A dataset name (mnist, fashion-mnist, tv-marketing, advertising, xor, circles, moons, spirals, gaussians) or a CSV file, for a custom run.", "name|file.csv");
        var target = Opt.Text("--target", "The target column of a table or CSV file (default: the table's own, else the last column).", "column");
        var layers = Opt.IntList("--layers", "Hidden layer widths of an MLP, e.g. 256,128 (replaces a preset's model).");
        var activation = Opt.Choice("--activation", "Hidden activation.", NamedParts.Activations);
        var optimizer = Opt.Choice("--optimizer", "Optimizer.", NamedParts.Optimizers);
        var lr = Opt.Number("--lr", "Learning rate η₀ (default: the preset's, else 1e-3 for adam/adamw/rmsprop, 0.01 for the others).", positive: true);
        var momentum = Opt.Number("--momentum", "Momentum μ for momentum and nesterov (default 0.9).", min: 0, max: 1, below: true);
        var schedule = Opt.Choice("--schedule", "Learning-rate schedule.", NamedParts.Schedules);
        var stepSize = Opt.Integer("--step-size", "step schedule: epochs between decays (default epochs/3).", min: 1);
        var gamma = Opt.Number("--gamma", "step/exponential/plateau: the factor η is multiplied by (defaults 0.1, 0.95, 0.1).", positive: true, max: 1);
        var warmup = Opt.Number("--warmup", "cosine: epochs of linear warm-up (default 0).", min: 0);
        var minLr = Opt.Number("--min-lr", "cosine/plateau: the lowest learning rate (default 0).", min: 0);
        var plateauPatience = Opt.Integer("--plateau-patience", "plateau: epochs without improvement before η is reduced (default 5).", min: 1);
        var l1 = Opt.Number("--l1", "L1 penalty λ₁ Σ|w| on the weights.", min: 0);
        var l2 = Opt.Number("--l2", "L2 penalty (λ₂/2) Σw² on the weights.", min: 0);
        var weightDecay = Opt.Number("--weight-decay", "Decoupled weight decay w ← w(1 - ηλ) (AdamW's own decay with --optimizer adamw).", min: 0);
        var dropout = Opt.Number("--dropout", "Dropout rate after each hidden activation.", min: 0, max: 1, below: true);
        var earlyStopping = Opt.Integer("--early-stopping", "Stop after this many epochs without a better validation loss, keeping the best weights (needs a validation split; 0.1 unless given).", min: 1);
        var validationSplit = Opt.Number("--validation-split", "Fraction of the training set held out for validation.", min: 0, max: 1, below: true);
        var epochs = Opt.Integer("--epochs", "Epochs (default: the preset's).", min: 1);
        var batchSize = Opt.Integer("--batch-size", "Samples per step (default: the preset's).", min: 1);
        var seed = Opt.Seed("--seed", "Seed for initialisation, shuffling, dropout and splits (default 1).");
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors). Results do not depend on it.", min: 1, max: 1024);
        var outDir = Opt.Text("--out", "Output folder (default runs/PRESET).", "dir");
        var dataDir = Opt.Text("--data-dir", "Folder searched first for dataset files.", "dir");
        var resume = Opt.Text("--resume", "Continue the run whose checkpoint is in DIR (its settings are reused; --epochs may extend it).", "dir");
        var checkpointEvery = Opt.Integer("--checkpoint-every", "Save DIR/checkpoint.safetensors every N epochs (and after the last); 0 = never.", min: 0);
        var noPlots = Opt.Flag("--no-plots", "Do not draw pictures (report.html keeps the tables).");
        var json = Opt.Flag("--json", "Print the final metrics as one JSON object on stdout (progress goes to stderr).");
        var plain = Opt.Flag("--plain", "Plain progress lines instead of progress bars.");
        var samples = Opt.Integer("--samples", "Synthetic datasets: training samples to generate (default 1000).", min: 1);
        var animationEvery = Opt.Integer("--animation-every", "One animation frame every N epochs (default: about 50 frames).", min: 1);
        var limitTrain = Opt.Integer("--limit-train", "Use only the first N training samples (quick checks).", min: 1);
        var limitTest = Opt.Integer("--limit-test", "Use only the first N test samples (quick checks).", min: 1);
        var stopAfter = Opt.Integer("--stop-after-batches", "Testing aid: act as if Ctrl+C came after N batches.", min: 1);
        stopAfter.Hidden = true;

        var command = new Command("train", "Train a preset (or a custom MLP with --dataset) and write the model, metrics.json, checkpoints, pictures and report.html to --out.")
        {
            preset, dataset, target, layers, activation, optimizer, lr, momentum, schedule, stepSize, gamma, warmup, minLr, plateauPatience,
            l1, l2, weightDecay, dropout, earlyStopping, validationSplit, epochs, batchSize, seed, threads, outDir, dataDir, resume,
            checkpointEvery, noPlots, json, plain, samples, animationEvery, limitTrain, limitTest, stopAfter,
        };

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            string? resumeDir = parse.GetValue(resume);
            RunSettings settings;
            if (resumeDir is not null)
            {
                if (!Checkpoint.Exists(resumeDir))
                    throw new CliError($"--resume {resumeDir}: no {Checkpoint.FileName} there", ExitCodes.InputError);
                // The run continues as saved; only what does not change the arithmetic may be given again.
                Option[] fixedOptions = [dataset, target, layers, activation, optimizer, lr, momentum, schedule, stepSize, gamma, warmup, minLr,
                    plateauPatience, l1, l2, weightDecay, dropout, earlyStopping, validationSplit, batchSize, seed, samples, limitTrain, limitTest];
                var changed = fixedOptions.FirstOrDefault(o => Opt.Given(parse, o));
                if (changed is not null || parse.GetValue(preset) is not null)
                    throw new CliError($"--resume continues a run with its saved settings; {(changed?.Name ?? "a preset")} cannot be given with it (only --epochs, --threads, --out, --data-dir, --checkpoint-every and the output options). See 'scratchnet train --help' for usage.");
                var saved = RunPipeline.SettingsOf(resumeDir);
                settings = saved with
                {
                    Epochs = parse.GetValue(epochs) ?? saved.Epochs,
                    Threads = parse.GetValue(threads) ?? saved.Threads,
                    DataDir = parse.GetValue(dataDir) ?? saved.DataDir,
                };
            }
            else
            {
                settings = new RunSettings
                {
                    Preset = parse.GetValue(preset),
                    Dataset = parse.GetValue(dataset),
                    Target = parse.GetValue(target),
                    Layers = parse.GetValue(layers) is { Length: > 0 } widths ? widths : null,
                    Activation = parse.GetValue(activation),
                    Optimizer = parse.GetValue(optimizer),
                    LearningRate = parse.GetValue(lr),
                    Momentum = parse.GetValue(momentum),
                    Schedule = parse.GetValue(schedule),
                    StepSize = parse.GetValue(stepSize),
                    Gamma = parse.GetValue(gamma),
                    Warmup = parse.GetValue(warmup),
                    MinLearningRate = parse.GetValue(minLr),
                    PlateauPatience = parse.GetValue(plateauPatience),
                    L1 = parse.GetValue(l1),
                    L2 = parse.GetValue(l2),
                    WeightDecay = parse.GetValue(weightDecay),
                    Dropout = parse.GetValue(dropout),
                    EarlyStopping = parse.GetValue(earlyStopping),
                    ValidationSplit = parse.GetValue(validationSplit),
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batchSize),
                    Seed = parse.GetValue(seed) ?? 1,
                    Threads = parse.GetValue(threads),
                    DataDir = parse.GetValue(dataDir),
                    LimitTrain = parse.GetValue(limitTrain),
                    LimitTest = parse.GetValue(limitTest),
                    Samples = parse.GetValue(samples),
                };
                if (settings.Preset is not null) CliPresets.Get(settings.Preset);
            }

            string name = settings.Preset ?? Path.GetFileNameWithoutExtension(settings.Dataset ?? "custom");
            string dir = parse.GetValue(outDir) ?? resumeDir ?? Path.Combine("runs", name);
            bool asJson = parse.GetValue(json);
            var view = ProgressViews.For(asJson ? stderr : stdout, parse.GetValue(plain));
            var request = new RunRequest
            {
                Settings = settings,
                OutDir = dir,
                ResumeDir = resumeDir,
                CheckpointEvery = parse.GetValue(checkpointEvery) ?? 1,
                NoPlots = parse.GetValue(noPlots),
                AnimationEvery = parse.GetValue(animationEvery),
                StopAfterBatches = parse.GetValue(stopAfter),
            };
            using var shutdown = ShutdownSignal.Register();
            var outcome = RunPipeline.Run(request, view, shutdown.Token);
            if (asJson) stdout.WriteLine(MetricsWriter.ToJson(outcome, compact: true));
            else
            {
                var ci = System.Globalization.CultureInfo.InvariantCulture;
                string acc = double.IsFinite(outcome.Test.Accuracy) ? string.Create(ci, $", test accuracy {outcome.Test.Accuracy:P2}") : "";
                stdout.WriteLine(string.Create(ci, $"done: {outcome.History.Count} epochs in {outcome.TotalSeconds:F1} s, test loss {outcome.Test.Loss:G5}{acc}"));
                foreach (var (k, v) in outcome.Extras) stdout.WriteLine(string.Create(ci, $"  {k} = {v:G6}"));
                stdout.WriteLine($"wrote {Path.Combine(dir, "report.html")}, {outcome.ModelPath}, {outcome.MetricsPath}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
