using System.CommandLine;
using ScratchNet.Cli.Options;
using ScratchNet.Cli.Training;
using ScratchNet.Plotting;
using ScratchNet.Training;

namespace ScratchNet.Cli.Commands;

/// <summary>
/// `scratchnet generate --model DIR [--prompt TEXT] [--tokens N] [--temperature T] [--top-k K] [--seed S] [--count N]`:
/// text sampled from a trained character-level language model (the library's <see cref="TextGenerator"/>);
/// `scratchnet generate --model DIR [--count N] [--seed S] [--out FILE.png]`: images drawn by an image
/// generator (a model file with a "generator" of prior "normal", docs/GENERATIVE.md; the library's
/// <see cref="ImageGenerator"/>) into a PNG grid.
/// </summary>
public static class GenerateCommand
{
    /// <summary>Tokens added to a prompt of a text-stream model when --tokens is not given.</summary>
    public const int DefaultStreamTokens = 500;

    /// <summary>Images drawn by an image generator when --count is not given.</summary>
    public const int DefaultImageCount = 64;

    public static Command Create()
    {
        var model = Opt.Text("--model", "The model file (model.safetensors, a run folder, or a checkpoint) of a language model or an image generator.", "file");
        model.Required = true;
        var prompt = Opt.Text("--prompt", "Text to continue (the start of a name for a names model; at least one character for a text model, default a line break).");
        var tokens = Opt.Integer("--tokens", $"The most characters to add (default: {DefaultStreamTokens} for a text model, the model's context for a names model).", min: 1, max: 1_000_000);
        var temperature = Opt.Number("--temperature", "Divides the logits before the softmax: below 1 safer, above 1 wilder (default 1).", positive: true, max: 1000);
        var topK = Opt.Integer("--top-k", "Draw only among the K most likely characters (default: all).", min: 1);
        var seed = Opt.Seed("--seed", "Seed of the draws: the same seed gives the same text (default 1).");
        var count = Opt.Integer("--count", $"How many samples: names for a names model (default 10), texts for a text model (default 1), images for an image generator (default {DefaultImageCount}).", min: 1, max: Limits.MaxGeneratedImages);
        var imageFile = Opt.Text("--out", "Image generators: the PNG grid to write (default samples.png).", "file.png");
        var command = new Command("generate", "Sample text from a trained language model (names, tiny Shakespeare, a .txt file), or images from an image generator (mnist-vae) into a PNG grid.")
        {
            model, prompt, tokens, temperature, topK, seed, count, imageFile,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var saved = SavedModel.Load(parse.GetValue(model)!);
            if (saved.Metadata.Generator is { } spec)
            {
                string? textOption = parse.GetValue(prompt) is not null ? "--prompt" : parse.GetValue(tokens) is not null ? "--tokens"
                    : parse.GetValue(temperature) is not null ? "--temperature" : parse.GetValue(topK) is not null ? "--top-k" : null;
                if (textOption is not null) throw new CliError($"{textOption}: applies to language models; {saved.Path} draws images", ExitCodes.Usage);
                return GenerateImages(output, saved, spec, parse.GetValue(count) ?? DefaultImageCount, parse.GetValue(seed) ?? 1, parse.GetValue(imageFile) ?? "samples.png");
            }
            if (parse.GetValue(imageFile) is not null) throw new CliError($"--out: applies to image generators; {saved.Path} is not one", ExitCodes.Usage);
            var vocabulary = saved.Metadata.Vocabulary
                ?? throw new CliError($"{saved.Path}: not a generative model (its file has neither a character vocabulary nor a generator); generate from models trained on names, tiny-shakespeare, a .txt file, or mnist-vae", ExitCodes.InputError);
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

    /// <summary>Draws <paramref name="count"/> images into a square-ish PNG grid at <paramref name="path"/>.</summary>
    private static int GenerateImages(TextWriter output, SavedModel saved, Serialization.GeneratorSpec spec, int count, ulong seed, string path)
    {
        if (!spec.IsGenerator)
            throw new CliError($"{saved.Path}: its decoder has no prior to draw codes from (a plain autoencoder); generate from a variational autoencoder (mnist-vae) or a GAN", ExitCodes.InputError);
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new CliError($"--out: '{TextExcerpt.Of(path)}' does not end in .png", ExitCodes.Usage);
        if (spec.Image is not ([_, _] or [1, _, _]))
            throw new CliError($"{saved.Path}: the generator's images are {Tensors.Tensor.FormatShape(spec.Image)}; only gray images (height, width) or (1, height, width) can be drawn", ExitCodes.InputError);
        ImageGenerator generator;
        try
        {
            generator = new ImageGenerator(saved.Model, spec);
        }
        catch (ArgumentException e)
        {
            throw new CliError($"{saved.Path}: {e.Message.Split(" (Parameter")[0]}", ExitCodes.InputError);
        }
        var images = generator.Sample(count, new Rng(seed));
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        var grid = ImageGrid.Tiles(images.Span, count, spec.Image[^2], spec.Image[^1], columns, ColorMap.Gray, TileScaling.UnitRange);
        try
        {
            grid.SavePng(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"--out: cannot write '{TextExcerpt.Of(path)}': {e.Message}", ExitCodes.InputError);
        }
        output.WriteLine($"wrote {path}: {count} images from {saved.Path}, seed {seed}");
        return ExitCodes.Success;
    }
}
