using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Progress;
using ScratchNet.Cli.Training;
using ScratchNet.Data;
using ScratchNet.Gpu.Training;
using ScratchNet.Layers;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet train [PRESET] [options]`: trains a preset or a custom MLP and writes the model, metrics, checkpoints, pictures and report.html.</summary>
public static class TrainCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var preset = new Argument<string?>("preset")
        {
            Description = $"The recipe to train: {string.Join(", ", PresetCatalog.Names)}. Leave out and give --dataset for a custom MLP.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var dataset = Opt.Text("--dataset", "A dataset name (mnist, fashion-mnist, tv-marketing, advertising, xor, circles, moons, spirals, gaussians) or a CSV file, for a custom run.", "name|file.csv");
        var target = Opt.Text("--target", "The target column of a table or CSV file (default: the table's own, else the last column).", "column");
        var features = Opt.Text("--features", "The feature columns of a table or CSV file, comma-separated, e.g. Gr_Liv_Area,Overall_Cond (default: every column but the target). Text columns are one-hot encoded; empty and NA cells filled from the training split.", "a,b,c");
        var logFeatures = Opt.Text("--log-features", "Numeric feature columns of a table read as log(1 + x), comma-separated, e.g. tenure,total_charges (every value must be ≥ 0; the model file records it and predict applies it).", "a,b");
        var folds = Opt.Integer("--folds", $"K-fold cross-validation of a table recipe instead of one run: K models, each tested on one fold (stratified by class) and trained on the others; writes metrics.json (each fold, mean and standard deviation) and report.html to --out (default runs/PRESET-cv), no model.", min: 2, max: Limits.MaxFolds);
        var classWeights = Opt.Choice("--class-weights", "balanced: weigh each sample's loss by n / (k·n_c) for k classes of n_c training samples each (classification).", ["balanced"]);
        var chooseThreshold = Opt.Flag("--choose-threshold", "Binary classification: one logit with binary cross-entropy, and after training the threshold on the logit that maximises F1 on the validation split (else the training samples), saved in the model.");
        var layers = Opt.IntList("--layers", "Hidden layer widths of an MLP, e.g. 256,128 (replaces a preset's model).",
            max: Limits.MaxLayerWidth, maxCount: Limits.MaxHiddenLayers, maxNeighbourProducts: Limits.MaxParameters);
        var activation = Opt.Choice("--activation", "Hidden activation.", LayerFactory.ActivationNames);
        var optimizer = Opt.Choice("--optimizer", "Optimizer (its learning rate stays the recipe's unless --lr is given).", OptimizerFactory.Names);
        var lr = Opt.Number("--lr", "Base learning rate η₀, from which the schedule sets η at every step (default: the recipe's).", positive: true);
        var momentum = Opt.Number("--momentum", "Momentum μ for momentum and nesterov (default 0.9).", min: 0, max: 1, below: true);
        var schedule = Opt.Choice("--schedule", "Learning-rate schedule (default: the recipe's, constant for a custom run).", ScheduleRecipe.Names);
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
        var epochs = Opt.Integer("--epochs", "Epochs (default: the preset's).", min: 1, max: Limits.MaxEpochs);
        var batchSize = Opt.Integer("--batch-size", "Samples per step (default: the preset's).", min: 1, max: Limits.MaxBatchSize);
        var stepsPerEpoch = Opt.Integer("--steps-per-epoch", "Count training in steps: each epoch is N steps on batches drawn at random, the test split evaluated after each (default: the preset's; none: an epoch passes over the data).", min: 1, max: Limits.MaxStepsPerEpoch);
        var seed = Opt.Seed("--seed", "Seed for initialisation, shuffling, dropout and splits (default 1).");
        var device = Opt.Choice("--device", "Where the training steps run: cpu (default), cuda (the first NVIDIA GPU) or cpu-accelerator (ILGPU's CPU accelerator, the GPU kernels on the CPU). On cuda and cpu-accelerator: the mlp and cnn models only (docs/GPU.md).", Recipe.DeviceNames);
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors). Results do not depend on it.", min: 1, max: 1024);
        var outDir = Opt.Text("--out", "Output folder (default runs/PRESET).", "dir");
        var dataDir = Opt.Text("--data-dir", "Folder searched first for dataset files.", "dir");
        var resume = Opt.Text("--resume", "Continue the run whose checkpoint is in DIR (its settings are reused; --epochs may extend it).", "dir");
        var checkpointEvery = Opt.Integer("--checkpoint-every", "Save DIR/checkpoint.safetensors every N epochs (and after the last); 0 = never.", min: 0);
        var noPlots = Opt.Flag("--no-plots", "Do not draw pictures (report.html keeps the tables).");
        var json = Opt.Flag("--json", "Print the final metrics as one JSON object on stdout (progress goes to stderr).");
        var plain = Opt.Flag("--plain", "Plain progress lines instead of progress bars.");
        var samples = Opt.Integer("--samples", "Synthetic datasets: training samples to generate (default 1000).", min: 1, max: Limits.MaxGeneratedSamples);
        var animationEvery = Opt.Integer("--animation-every", "One animation frame every N epochs (default: about 50 frames).", min: 1);
        var limitTrain = Opt.Integer("--limit-train", "Use only the first N training samples (quick checks).", min: 1);
        var limitTest = Opt.Integer("--limit-test", "Use only the first N test samples (quick checks).", min: 1);
        var stopAfter = Opt.Integer("--stop-after-batches", "Testing aid: act as if Ctrl+C came after N batches.", min: 1);
        stopAfter.Hidden = true;

        var command = new Command("train", "Train a preset (or a custom MLP with --dataset) and write the model, metrics.json, checkpoints, pictures and report.html to --out.")
        {
            preset, dataset, target, features, logFeatures, folds, classWeights, chooseThreshold, layers, activation, optimizer, lr, momentum, schedule, stepSize, gamma, warmup, minLr, plateauPatience,
            l1, l2, weightDecay, dropout, earlyStopping, validationSplit, epochs, batchSize, stepsPerEpoch, seed, device, threads, outDir, dataDir, resume,
            checkpointEvery, noPlots, json, plain, samples, animationEvery, limitTrain, limitTest, stopAfter,
        };

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            string? resumeDir = parse.GetValue(resume);
            int? threadCount = parse.GetValue(threads);
            string? dataFolder = parse.GetValue(dataDir);
            int checkpoints = parse.GetValue(checkpointEvery) ?? 1;
            // Listening from the start, so that Ctrl+C or SIGTERM also ends the wait for the data (a
            // download, a slow disk), not only training.
            using var shutdown = ShutdownSignal.Register();
            bool asJson = parse.GetValue(json);
            var view = ProgressViews.For(asJson ? stderr : stdout, parse.GetValue(plain));
            TrainingJob job;
            if (resumeDir is not null)
            {
                if (!Checkpoint.Exists(resumeDir))
                    throw new CliError($"--resume {resumeDir}: no {Checkpoint.FileName} there", ExitCodes.InputError);
                // The run continues as saved; only what does not change the arithmetic may be given again.
                Option[] fixedOptions = [dataset, target, features, logFeatures, folds, classWeights, chooseThreshold, layers, activation, optimizer, lr, momentum, schedule, stepSize, gamma, warmup, minLr,
                    plateauPatience, l1, l2, weightDecay, dropout, earlyStopping, validationSplit, batchSize, stepsPerEpoch, seed, samples, limitTrain, limitTest, device];
                var changed = fixedOptions.FirstOrDefault(o => Opt.Given(parse, o));
                if (changed is not null || parse.GetValue(preset) is not null)
                    throw new CliError($"--resume continues a run with its saved settings; {(changed?.Name ?? "a preset")} cannot be given with it (only --epochs, --threads, --out, --data-dir, --checkpoint-every and the output options). See 'scratchnet train --help' for usage.");
                job = Interrupted(() => TrainingJob.Resume(resumeDir, new TrainingJobOptions
                {
                    OutDir = parse.GetValue(outDir), Threads = threadCount, DataDir = dataFolder, CheckpointEvery = checkpoints,
                    OnDownloadProgress = DownloadProgressLines.To(stderr), Engines = GpuEngines.For,
                }, parse.GetValue(epochs), shutdown.Token));
            }
            else
            {
                string? presetName = parse.GetValue(preset), datasetName = parse.GetValue(dataset);
                if (presetName is not null && datasetName is not null)
                    throw new CliError("give either a preset or --dataset, not both (a preset has its own data). See 'scratchnet train --help' for usage.");
                if (presetName is null && datasetName is null)
                    throw new CliError($"name a preset ({string.Join(", ", PresetCatalog.Names)}) or a dataset with --dataset. See 'scratchnet train --help' for usage.");
                var overrides = new RecipeOverrides
                {
                    Target = parse.GetValue(target),
                    Features = FeatureList(parse.GetValue(features), "--features"),
                    LogFeatures = FeatureList(parse.GetValue(logFeatures), "--log-features"),
                    ClassWeights = parse.GetValue(classWeights),
                    ChooseThreshold = parse.GetValue(chooseThreshold),
                    Layers = parse.GetValue(layers) is { Length: > 0 } widths ? widths : null,
                    Activation = parse.GetValue(activation),
                    Dropout = parse.GetValue(dropout),
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
                    EarlyStopping = parse.GetValue(earlyStopping),
                    ValidationSplit = parse.GetValue(validationSplit),
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batchSize),
                    StepsPerEpoch = parse.GetValue(stepsPerEpoch),
                    Seed = parse.GetValue(seed),
                    Samples = parse.GetValue(samples),
                    LimitTrain = parse.GetValue(limitTrain),
                    LimitTest = parse.GetValue(limitTest),
                    Device = parse.GetValue(device),
                };
                var recipe = presetName is not null
                    ? CliPresets.Get(presetName)
                    : PresetCatalog.ForDataset(datasetName!, manager: new DatasetManager(new DatasetManagerOptions { DataDir = dataFolder, AllowDownload = false }));
                string name = presetName is not null ? recipe.Name : Path.GetFileNameWithoutExtension(datasetName!);
                if (parse.GetValue(folds) is int k)
                    return CrossValidationRun.Run(overrides.ApplyTo(recipe), k, new TrainingJobOptions
                    {
                        OutDir = parse.GetValue(outDir) ?? Path.Combine("runs", name + "-cv"), Threads = threadCount, DataDir = dataFolder,
                        OnDownloadProgress = DownloadProgressLines.To(stderr), Engines = GpuEngines.For,
                    }, view, asJson ? stdout : null, asJson ? null : stdout, shutdown.Token);
                job = Interrupted(() => TrainingJob.Create(overrides.ApplyTo(recipe), new TrainingJobOptions
                {
                    OutDir = parse.GetValue(outDir) ?? Path.Combine("runs", name), Threads = threadCount, DataDir = dataFolder, CheckpointEvery = checkpoints,
                    OnDownloadProgress = DownloadProgressLines.To(stderr), Engines = GpuEngines.For,
                }, shutdown.Token));
            }

            // The job holds the output folder's lock until here is left, pictures and report included,
            // also on an error or an interruption.
            using var held = job;
            foreach (var note in job.Notes) view.Note(note);
            var result = TrainRun.Run(job, view, shutdown.Token, parse.GetValue(noPlots), parse.GetValue(animationEvery), parse.GetValue(stopAfter));
            if (asJson) stdout.WriteLine(result.ToJson(summaryOnly: true, indented: false));
            else
            {
                var ci = System.Globalization.CultureInfo.InvariantCulture;
                string acc = double.IsFinite(result.Test.Accuracy) ? string.Create(ci, $", test accuracy {result.Test.Accuracy:P2}") : "";
                if (double.IsFinite(result.Test.RocAuc)) acc += string.Create(ci, $", ROC-AUC {result.Test.RocAuc:F4}");
                if (double.IsFinite(result.Test.RSquared)) acc += string.Create(ci, $", R² {result.Test.RSquared:F4}, MAE {result.Test.MeanAbsoluteError:G6}");
                stdout.WriteLine(string.Create(ci, $"done: {result.History.Epochs.Count} epochs in {result.TotalSeconds:F1} s{(double.IsNaN(result.Test.Loss) ? "" : string.Create(ci, $", test loss {result.Test.Loss:G5}"))}{acc}"));
                foreach (var (k, v) in result.Extras) stdout.WriteLine(string.Create(ci, $"  {k} = {v:G6}"));
                stdout.WriteLine($"wrote {Path.Combine(job.OutDir!, "report.html")}, {result.ModelPath}, {result.MetricsPath}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The columns of --features or --log-features (<paramref name="option"/>), or null when not given.</summary>
    /// <exception cref="CliError">An empty name ("a,,b"), exit 1.</exception>
    private static string[]? FeatureList(string? text, string option)
    {
        if (text is null) return null;
        var names = text.Split(',').Select(n => n.Trim()).ToArray();
        if (names.Any(n => n.Length == 0))
            throw new CliError($"{option} '{TextExcerpt.Of(text)}': an empty column name (give the names separated by commas, e.g. {option} area,rooms). See 'scratchnet train --help' for usage.");
        return names;
    }

    /// <summary><paramref name="create"/>'s job, or exit 130 when a shutdown signal ends the loading.</summary>
    private static TrainingJob Interrupted(Func<TrainingJob> create)
    {
        try
        {
            return create();
        }
        catch (OperationCanceledException)
        {
            throw new CliError("interrupted while loading: nothing was trained or written", ExitCodes.Interrupted);
        }
    }
}
