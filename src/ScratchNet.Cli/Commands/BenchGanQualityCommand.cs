using System.CommandLine;
using System.Globalization;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Models;
using ScratchNet.Serialization;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet bench gan-quality --model GAN --classifier CNN [--count 1000] [--seed 1] [--threshold 0.9] [--json]`:
/// the library's <see cref="GanQuality"/> on a GAN's model file, judged by a trained classifier
/// (mnist-cnn's model file): the share of the generated digits classified with confidence ≥ τ, and
/// each class's share of them.
/// </summary>
public static class BenchGanQualityCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var model = Opt.Text("--model", "The GAN's model file (model.safetensors, a run folder, or a checkpoint).", "file");
        model.Required = true;
        var classifier = Opt.Text("--classifier", "The classifier that judges the digits (e.g. the model of 'scratchnet train mnist-cnn').", "file");
        classifier.Required = true;
        var count = Opt.Integer("--count", "Images to draw (default 1000).", min: 1, max: Limits.MaxGeneratedImages);
        var seed = Opt.Seed("--seed", "Seed of the codes z ~ N(0, I) (default 1).");
        var threshold = Opt.Number("--threshold", "The confidence that counts a digit as recognisable (default 0.9).", positive: true, max: 1);
        var threads = Opt.Integer("--threads", "Compute threads (default: all processors). The figures do not depend on it.", min: 1, max: 1024);
        var json = Opt.Flag("--json", "Print one JSON object.");
        var command = new Command("gan-quality", "Judge a GAN's samples with a trained classifier: the share classified with confidence >= 0.9 and the spread over the classes.")
        {
            model, classifier, count, seed, threshold, threads, json,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            if (!GanFile.IsGan(saved.Metadata))
                throw new CliError($"--model: {saved.Path} is not a GAN's model file (train one with 'scratchnet train mnist-gan')", ExitCodes.InputError);
            GanModel gan;
            try { gan = GanFile.Open(saved.Model, saved.Metadata, saved.Path); }
            catch (ModelFileException e) { throw new CliError(e.Message, ExitCodes.InputError); }
            var judge = SavedModel.Load(parse.GetValue(classifier)!);
            if (!judge.Classifies)
                throw new CliError($"--classifier: {judge.Path} is not a classifier", ExitCodes.InputError);
            int n = parse.GetValue(count) ?? 1000;
            ulong s = parse.GetValue(seed) ?? 1;
            double tau = parse.GetValue(threshold) ?? 0.9;
            GanQualityResult q;
            try
            {
                using (Compute.UseThreads(parse.GetValue(threads) ?? Environment.ProcessorCount))
                    q = GanQuality.Measure(gan, judge.Model, n, s, tau);
            }
            catch (ArgumentException e)
            {
                throw new CliError($"--classifier: {judge.Path}: {e.Message.Split(" (Parameter")[0]}", ExitCodes.InputError);
            }
            var names = judge.ClassNames(q.ClassCounts.Count);
            var ci = CultureInfo.InvariantCulture;
            if (parse.GetValue(json))
            {
                JsonOut.Write(output, w =>
                {
                    w.WriteString("model", saved.Path);
                    w.WriteString("classifier", judge.Path);
                    w.WriteNumber("count", q.Count);
                    w.WriteNumber("seed", s);
                    w.WriteNumber("threshold", q.Threshold);
                    w.WriteNumber("confident", q.Confident);
                    w.WriteNumber("confident_share", q.ConfidentShare);
                    w.WriteStartObject("class_shares");
                    for (int c = 0; c < q.ClassCounts.Count; c++) w.WriteNumber(names[c], q.ClassShares[c]);
                    w.WriteEndObject();
                    w.WriteNumber("classes_with_at_least_5_percent", q.ClassesWithAtLeast(0.05));
                });
            }
            else
            {
                output.WriteLine(string.Create(ci, $"{saved.Path}: {q.Count:N0} images (seed {s}) judged by {judge.Path}"));
                output.WriteLine(string.Create(ci, $"confident (top class probability >= {q.Threshold:0.###}): {q.Confident:N0} of {q.Count:N0} = {q.ConfidentShare:P1}"));
                output.WriteLine("share of each class (the most probable class of every image): " + string.Join(", ",
                    Enumerable.Range(0, q.ClassCounts.Count).Select(c => string.Create(ci, $"{names[c]} {q.ClassShares[c]:P1}"))));
                output.WriteLine(string.Create(ci, $"classes with at least 5 %: {q.ClassesWithAtLeast(0.05)} of {q.ClassCounts.Count}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
