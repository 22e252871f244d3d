using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet bench train PRESET [--batch-size B]`: training speed of a preset (seconds and samples per second per epoch), nothing kept.</summary>
public static class BenchTrainCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var preset = new Argument<string>("preset") { Description = $"The preset to time: {string.Join(", ", PresetCatalog.Names)}." };
        var epochs = Opt.Integer("--epochs", "Epochs to time (default 2).", min: 1, max: Limits.MaxEpochs);
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors).", min: 1, max: 1024);
        var limitTrain = Opt.Integer("--limit-train", "Use only the first N training samples.", min: 1);
        var batchSize = Opt.Integer("--batch-size", "Samples per step (default: the preset's).", min: 1, max: Limits.MaxBatchSize);
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("train", "Time the training epochs of a preset (no pictures, no files kept).") { preset, epochs, threads, limitTrain, batchSize, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var recipe = CliPresets.Get(parse.GetValue(preset)!, "bench train");
            string name = recipe.Name;
            // The same overrides as `train`, so that a timed batch size is the batch size a user trains with.
            recipe = new RecipeOverrides
            {
                Epochs = parse.GetValue(epochs) ?? 2,
                BatchSize = parse.GetValue(batchSize),
                LimitTrain = parse.GetValue(limitTrain),
                LimitTest = 1000,
            }.ApplyTo(recipe);
            var r = TrainingJob.Run(recipe, new TrainingJobOptions { Threads = parse.GetValue(threads) });
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("preset", name);
                    w.WriteNumber("threads", r.Threads);
                    w.WriteNumber("train_samples", r.TrainingSet.Count);
                    w.WriteNumber("batch_size", r.BatchSize);
                    w.Numbers("epoch_seconds", r.History.Epochs.Select(e => e.Seconds));
                    w.Numbers("epoch_cpu_seconds", r.History.Epochs.Select(e => e.CpuSeconds));
                    w.Numbers("samples_per_second", r.History.Epochs.Select(e => r.TrainingSet.Count / e.Seconds));
                });
            }
            else
            {
                output.WriteLine($"{name}: {r.TrainingSet.Count} samples, batch {r.BatchSize}, {r.Threads} thread(s)");
                foreach (var e in r.History.Epochs)
                    output.WriteLine(string.Create(ci, $"epoch {e.Epoch}: {e.Seconds:F3} s, {r.TrainingSet.Count / e.Seconds:N0} samples/s, cpu {e.CpuSeconds:F2} s"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
