using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet bench predict --model FILE [--batch-size 1000]`: inference speed of a saved model, in
/// samples per second, over its dataset's evaluation samples already in memory as float32 (the
/// forward passes only, as a user who holds the inputs runs them).
/// </summary>
public static class BenchPredictCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var model = Opt.Text("--model", "The model file (model.safetensors, a run folder, or a checkpoint).", "file");
        model.Required = true;
        var batchSize = Opt.Integer("--batch-size", "Samples per forward pass (default 1000).", min: 1, max: Limits.MaxBatchSize);
        var repetitions = Opt.Integer("--repetitions", "Timed passes over the samples; the median is reported (default 5).", min: 1, max: Limits.MaxBenchmarkRepetitions);
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors).", min: 1, max: 1024);
        var dataDir = Opt.Text("--data-dir", "Folder searched first for dataset files.", "dir");
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("predict", "Time a saved model's forward passes over its dataset's evaluation samples (samples per second).")
        {
            model, batchSize, repetitions, threads, dataDir, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            string name = saved.Metadata.Dataset
                ?? throw new CliError("the model file does not say which dataset it was trained on. See 'scratchnet bench predict --help' for usage.");
            var data = saved.LoadEvaluationData(name, parse.GetValue(dataDir));
            int batch = parse.GetValue(batchSize) ?? 1000;
            if (batch > saved.MaxBatchSize)
                throw new CliError($"--batch-size {batch} needs more than {Limits.MaxBatchActivations:N0} activations for this model (at most {saved.MaxBatchSize:N0}). See 'scratchnet bench predict --help' for usage.");
            var (inputs, _) = data.Take(data.Count);
            int n = data.Count, reps = parse.GetValue(repetitions) ?? 5;
            var seconds = new List<double>(reps);
            var cpuSeconds = new List<double>(reps);
            using (Compute.UseThreads(parse.GetValue(threads) ?? Environment.ProcessorCount))
            {
                Evaluation.Predict(saved.Model, inputs, batch); // warm-up: the JIT and the model's buffers
                for (int r = 0; r < reps; r++)
                {
                    long start = Stopwatch.GetTimestamp();
                    var cpuStart = Environment.CpuUsage.TotalTime;
                    Evaluation.Predict(saved.Model, inputs, batch);
                    seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                    cpuSeconds.Add((Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds);
                }
            }
            double median = seconds.Order().ElementAt(seconds.Count / 2);
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("model", saved.Path);
                    w.WriteString("dataset", name);
                    w.WriteNumber("samples", n);
                    w.WriteNumber("batch_size", batch);
                    w.WriteNumber("threads", parse.GetValue(threads) ?? Environment.ProcessorCount);
                    w.Numbers("seconds", seconds);
                    // Process CPU seconds (all threads, spinning included): the comparison that holds on a busy machine.
                    w.Numbers("cpu_seconds", cpuSeconds);
                    w.WriteNumber("samples_per_second", n / median);
                    double cpuMedian = cpuSeconds.Order().ElementAt(cpuSeconds.Count / 2);
                    if (cpuMedian > 0) w.WriteNumber("samples_per_cpu_second", n / cpuMedian);
                    else w.WriteNull("samples_per_cpu_second"); // a pass shorter than the CPU clock's tick
                });
            }
            else
                output.WriteLine(string.Create(ci, $"{saved.Path} on {name}: {n:N0} samples, batch {batch}: median {median * 1000:F1} ms, {n / median:N0} samples/s"));
            return ExitCodes.Success;
        });
        return command;
    }
}
