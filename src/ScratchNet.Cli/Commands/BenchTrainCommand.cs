using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Progress;
using ScratchNet.Cli.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>`scratchnet bench train PRESET`: training speed of a preset (seconds and samples per second per epoch), nothing kept.</summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var preset = new Argument<string>("preset") { Description = $"The preset to time: {string.Join(", ", CliPresets.Names)}." };
        var epochs = Opt.Integer("--epochs", "Epochs to time (default 2).", min: 1);
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors).", min: 1, max: 1024);
        var limitTrain = Opt.Integer("--limit-train", "Use only the first N training samples.", min: 1);
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("train", "Time the training epochs of a preset (no pictures, no files kept).") { preset, epochs, threads, limitTrain, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            string name = CliPresets.Get(parse.GetValue(preset)!).Name;
            string dir = Path.Combine(Path.GetTempPath(), $"scratchnet-bench-{Environment.ProcessId}");
            try
            {
                var request = new RunRequest
                {
                    Settings = new RunSettings { Preset = name, Epochs = parse.GetValue(epochs) ?? 2, Threads = parse.GetValue(threads), LimitTrain = parse.GetValue(limitTrain), LimitTest = 1000 },
                    OutDir = dir,
                    CheckpointEvery = 0,
                    NoPlots = true,
                };
                var r = RunPipeline.Run(request, new PlainProgressView(TextWriter.Null), CancellationToken.None);
                var ci = CultureInfo.InvariantCulture;
                if (parse.GetValue(json))
                {
                    JsonOut.Write(output, w =>
                    {
                        w.WriteString("preset", name);
                        w.WriteNumber("threads", r.Threads);
                        w.WriteNumber("train_samples", r.Train.Count);
                        w.WriteNumber("batch_size", r.BatchSize);
                        w.Numbers("epoch_seconds", r.History.Select(e => e.Seconds));
                        w.Numbers("samples_per_second", r.History.Select(e => r.Train.Count / e.Seconds));
                    });
                }
                else
                {
                    output.WriteLine($"{name}: {r.Train.Count} samples, batch {r.BatchSize}, {r.Threads} thread(s)");
                    foreach (var e in r.History)
                        output.WriteLine(string.Create(ci, $"epoch {e.Epoch}: {e.Seconds:F3} s, {r.Train.Count / e.Seconds:N0} samples/s, cpu {e.CpuSeconds:F2} s"));
                }
                return ExitCodes.Success;
            }
            finally
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }
}
