using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Models;
using ScratchNet.Plotting;
using ScratchNet.Serialization;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet generate --model DIR [--prompt TEXT] [--tokens N] [--temperature T] [--top-k K] [--seed S] [--count N]`:
/// text sampled from a trained character-level language model (the library's <see cref="TextGenerator"/>),
/// or, for a GAN's model file, a PNG grid of images drawn from its generator (<see cref="GanModel.Sample(int, Rng)"/>, written to --out).
/// </summary>
public static class GenerateCommand
{
    /// <summary>Tokens added to a prompt of a text-stream model when --tokens is not given.</summary>
    public const int DefaultStreamTokens = 500;

    public static Command Create()
    {
        var model = Opt.Text("--model", "The model file (model.safetensors, a run folder, or a checkpoint) of a language model.", "file");
        model.Required = true;
        var prompt = Opt.Text("--prompt", "Text to continue (the start of a name for a names model; at least one character for a text model, default a line break).");
        var tokens = Opt.Integer("--tokens", $"The most characters to add (default: {DefaultStreamTokens} for a text model, the model's context for a names model).", min: 1, max: 1_000_000);
        var temperature = Opt.Number("--temperature", "Divides the logits before the softmax: below 1 safer, above 1 wilder (default 1).", positive: true, max: 1000);
        var topK = Opt.Integer("--top-k", "Draw only among the K most likely characters (default: all).", min: 1);
        var seed = Opt.Seed("--seed", "Seed of the draws: the same seed gives the same text (default 1).");
        var count = Opt.Integer("--count", "How many samples: names for a names model (default 10), texts for a text model (default 1), images for a GAN (default 64, at most 4,096).", min: 1, max: 10_000);
        var outPath = Opt.Text("--out", "A GAN: the PNG grid to write (default samples.png).", "file");
        var command = new Command("generate", "Sample text from a trained language model (names, tiny Shakespeare, a .txt file).")
        {
            model, prompt, tokens, temperature, topK, seed, count, outPath,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            if (GanFile.IsGan(saved.Metadata) && parse.GetValue(count) > Limits.MaxImagesInGrid)
                throw new CliError($"--count: {parse.GetValue(count)} is more than the {Limits.MaxImagesInGrid:N0} images one grid may hold (Limits.MaxImagesInGrid)", ExitCodes.Usage);
            if (GanFile.IsGan(saved.Metadata))
                return GenerateImages(saved, parse.GetValue(count) ?? 64, parse.GetValue(seed) ?? 1, parse.GetValue(outPath) ?? "samples.png", output);
            var vocabulary = saved.Metadata.Vocabulary
                ?? throw new CliError($"{saved.Path}: not a language model (its file has no character vocabulary); generate samples from models trained on names, tiny-shakespeare or a .txt file", ExitCodes.InputError);
            TextGenerator generator;
            try
            {
                generator = new TextGenerator(saved.Model, vocabulary);
            }
            catch (ArgumentException e)
            {
                throw new CliError($"{saved.Path}: {e.Message.Split(" (Parameter")[0]}", ExitCodes.InputError);
            }
            string start = parse.GetValue(prompt) ?? (vocabulary.HasBoundary ? "" : "\n");
            var ids = vocabulary.Encode(start, "--prompt");
            if (!vocabulary.HasBoundary && ids.Length == 0)
                throw new CliError("--prompt: empty; a text model needs at least one character to continue", ExitCodes.Usage);
            int maxTokens = parse.GetValue(tokens) ?? (vocabulary.HasBoundary ? generator.ContextLength : DefaultStreamTokens);
            int? k = parse.GetValue(topK);
            if (k > vocabulary.Count) throw new CliError($"--top-k: {k} is more than the model's {vocabulary.Count} characters", ExitCodes.Usage);
            var rng = new Rng(parse.GetValue(seed) ?? 1);
            float tau = (float)(parse.GetValue(temperature) ?? 1.0);
            int samples = parse.GetValue(count) ?? (vocabulary.HasBoundary ? 10 : 1);
            for (int i = 0; i < samples; i++)
            {
                var added = generator.Generate(ids, maxTokens, tau, k, rng);
                string text = start + vocabulary.Decode(added);
                if (vocabulary.HasBoundary) output.WriteLine(text);
                else
                {
                    if (i > 0) output.WriteLine("----");
                    output.WriteLine(text);
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Draws <paramref name="count"/> images from a GAN's generator (z ~ N(0, I) from the seed) into a PNG grid of square tiles.</summary>
    private static int GenerateImages(SavedModel saved, int count, ulong seed, string path, TextWriter output)
    {
        GanModel gan;
        try { gan = GanFile.Open(saved.Model, saved.Metadata, saved.Path); }
        catch (ModelFileException e) { throw new CliError(e.Message, ExitCodes.InputError); }
        int pixels = gan.InputShape.Aggregate(1, (a, d) => a * d);
        int side = (int)Math.Round(Math.Sqrt(pixels));
        if (side * side != pixels)
            throw new CliError($"{saved.Path}: the generator draws {pixels} values per image, not a square picture", ExitCodes.InputError);
        PngEncoder.Save(path, ImageGrid.SquareImages(gan.Sample(count, new Rng(seed))));
        output.WriteLine($"wrote {count} images drawn from {saved.Path} (seed {seed}) to {path}");
        return ExitCodes.Success;
    }
}
