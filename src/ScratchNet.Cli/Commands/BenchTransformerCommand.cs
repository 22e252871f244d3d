using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Benchmarking;
using ScratchNet.Cli.Options;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// <c>scratchnet bench transformer [--batch-size B] [--steps T] [--width C] [--heads H] [--layers L] [--vocabulary V]
/// [--repetitions N] [--threads N] [--json]</c>: one transformer block's forward and backward, and one GPT training
/// step, on random data (defaults: shakespeare-gpt's sizes, nanoGPT's CPU configuration).
/// </summary>
public static class BenchTransformerCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var batch = Opt.Integer("--batch-size", "Sequences per step (default 12).", min: 1, max: Limits.MaxBatchSize);
        var steps = Opt.Integer("--steps", "T, the sequence length (default 64).", min: 1, max: 4096);
        var width = Opt.Integer("--width", "C, the embedding width (default 128).", min: 1, max: Limits.MaxLayerWidth / 4);
        var heads = Opt.Integer("--heads", "H, attention heads; C must be a multiple (default 4).", min: 1, max: 1024);
        var layers = Opt.Integer("--layers", "Transformer blocks of the GPT step (default 4).", min: 1, max: 256);
        var vocabulary = Opt.Integer("--vocabulary", "Tokens of the GPT step (default 65).", min: 1, max: Limits.MaxClasses);
        var repetitions = Opt.Integer("--repetitions", "Timed repetitions of each; the median is reported (default 20).", min: 1, max: Limits.MaxBenchmarkRepetitions);
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors).", min: 1, max: 1024);
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("transformer",
            "Time one transformer block's forward and backward, and one GPT training step (AdamW, clipping), on random data.")
        {
            batch, steps, width, heads, layers, vocabulary, repetitions, threads, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var d = new TransformerBenchmark.Sizes();
            var sizes = new TransformerBenchmark.Sizes(parse.GetValue(batch) ?? d.Batch, parse.GetValue(steps) ?? d.Steps,
                parse.GetValue(width) ?? d.Width, parse.GetValue(heads) ?? d.Heads, parse.GetValue(layers) ?? d.Layers, parse.GetValue(vocabulary) ?? d.Vocabulary);
            if (sizes.Width % sizes.Heads != 0)
                throw new CliError($"--width {sizes.Width} is not a multiple of --heads {sizes.Heads}. See 'scratchnet bench transformer --help' for usage.");
            long activations = TransformerBenchmark.Activations(sizes);
            if (activations > Limits.MaxBatchActivations)
                throw new CliError($"these sizes need {activations:N0} activations per step, more than {Limits.MaxBatchActivations:N0} (Limits.MaxBatchActivations). See 'scratchnet bench transformer --help' for usage.");
            int reps = parse.GetValue(repetitions) ?? 20, t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            TransformerBenchmark.Timing block, step;
            using (Compute.UseThreads(t))
            {
                block = TransformerBenchmark.Block(sizes, reps);
                step = TransformerBenchmark.TrainingStep(sizes, reps);
            }
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteNumber("batch_size", sizes.Batch);
                    w.WriteNumber("steps", sizes.Steps);
                    w.WriteNumber("width", sizes.Width);
                    w.WriteNumber("heads", sizes.Heads);
                    w.WriteNumber("layers", sizes.Layers);
                    w.WriteNumber("vocabulary", sizes.Vocabulary);
                    w.WriteNumber("threads", t);
                    w.Numbers("block_seconds", block.Seconds);
                    w.WriteNumber("block_median_seconds", block.MedianSeconds);
                    w.Numbers("step_seconds", step.Seconds);
                    w.WriteNumber("step_median_seconds", step.MedianSeconds);
                });
            }
            else
            {
                output.WriteLine(string.Create(ci, $"batch {sizes.Batch}, T {sizes.Steps}, C {sizes.Width}, {sizes.Heads} heads, {t} thread(s); median of {reps} (wall clock)"));
                output.WriteLine(string.Create(ci, $"one block, forward + backward: median {block.MedianSeconds * 1000:F2} ms, best {block.BestSeconds * 1000:F2} ms"));
                output.WriteLine(string.Create(ci, $"GPT training step ({sizes.Layers} blocks, vocabulary {sizes.Vocabulary}, AdamW, clipping): median {step.MedianSeconds * 1000:F2} ms, best {step.BestSeconds * 1000:F2} ms; 2,000 steps at the median: {step.MedianSeconds * 2000:F0} s"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
