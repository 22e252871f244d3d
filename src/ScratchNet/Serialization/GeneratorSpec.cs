using System.Text.Json;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>
/// What a model file says about the decoder inside it, stored under "generator" in the metadata as
/// <c>{"latent":20,"image":[784],"decoder":"layers.5","output":"logits","prior":"normal"}</c>
/// (docs/GENERATIVE.md): the decoder is the layer at path <see cref="Decoder"/> and every layer after
/// it (or, with <see cref="End"/>, every layer before that one: a GAN's generator is followed by its
/// discriminator, <c>"decoder":"layers.0","end":"layers.4"</c>), taking a code z of <see cref="Latent"/> values to an image of shape <see cref="Image"/>;
/// <see cref="Output"/> says how its output becomes pixels in [0, 1]; <see cref="Prior"/> "normal" marks
/// an image generator (z ~ N(0, I) gives an image: a VAE's decoder, a GAN's generator), "none" a decoder
/// whose codes follow no known law (a plain autoencoder's), which draws nothing.
/// </summary>
/// <param name="Latent">D, the values of a code z.</param>
/// <param name="Image">The per-sample shape of an image ([784] or [1, 28, 28]).</param>
/// <param name="Decoder">The path ("layers.{i}") of the decoder's first layer.</param>
/// <param name="Output">"logits" (pixel = σ(output)), "sigmoid" (pixel = output) or "tanh" (pixel = (output + 1) / 2).</param>
/// <param name="Prior">"normal" (z ~ N(0, I)) or "none".</param>
/// <param name="End">The path ("layers.{k}") of the first layer after the decoder, or null when the decoder ends the model.</param>
public sealed record GeneratorSpec(int Latent, int[] Image, string Decoder, string Output, string Prior, string? End = null)
{
    /// <summary>The metadata key.</summary>
    public const string Key = "generator";

    /// <summary>The output kinds: how the decoder's output becomes pixels.</summary>
    public static IReadOnlyList<string> Outputs { get; } = ["logits", "sigmoid", "tanh"];

    /// <summary>The priors: "normal" draws images, "none" does not.</summary>
    public static IReadOnlyList<string> Priors { get; } = ["normal", "none"];

    /// <summary>
    /// The image shape of samples of shape <paramref name="sample"/>: (c, h, w) as it is, (h, w) as
    /// (1, h, w), a flat square count n = s² (MNIST's 784) as (1, s, s), anything else as it is.
    /// </summary>
    public static int[] ImageShapeOf(int[] sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample is [int c, int h, int w]) return [c, h, w];
        if (sample is [int h2, int w2]) return [1, h2, w2];
        int side = (int)Math.Round(Math.Sqrt(sample.Aggregate(1L, (a, b) => a * b)));
        return sample is [int n] && side * side == n ? [1, side, side] : (int[])sample.Clone();
    }

    /// <summary>Whether z ~ N(0, I) through the decoder draws an image.</summary>
    public bool IsGenerator => Prior == "normal";

    /// <summary>Index of the decoder's first layer in a Sequential (from "layers.{i}").</summary>
    /// <exception cref="FormatException">The path is not "layers.{i}".</exception>
    public int DecoderIndex => LayerIndex(Decoder, "decoder");

    /// <summary>Index of the first layer after the decoder in a Sequential (from "layers.{k}"), or null when the decoder ends the model.</summary>
    /// <exception cref="FormatException">The path is not "layers.{k}" with k above the decoder's first layer.</exception>
    public int? EndIndex => End is null ? null
        : LayerIndex(End, "end") is int k && k > DecoderIndex ? k
        : throw new FormatException($"generator.end '{TextExcerpt.Of(End)}' does not come after generator.decoder '{TextExcerpt.Of(Decoder)}'");

    private static int LayerIndex(string path, string field) =>
        path.StartsWith("layers.", StringComparison.Ordinal) && int.TryParse(path.AsSpan(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i)
            ? i : throw new FormatException($"generator.{field} '{TextExcerpt.Of(path)}' is not a path 'layers.{{i}}'");

    /// <summary>The JSON stored under <see cref="Key"/>.</summary>
    public string ToJson() => End is null
        ? JsonSerializer.Serialize(new { latent = Latent, image = Image, decoder = Decoder, output = Output, prior = Prior })
        : JsonSerializer.Serialize(new { latent = Latent, image = Image, decoder = Decoder, output = Output, prior = Prior, end = End });

    /// <summary>Reads <see cref="ToJson"/>'s text, each value range-checked.</summary>
    /// <exception cref="FormatException">Not an object of these fields, or a value out of range.</exception>
    public static GeneratorSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("generator is not a JSON object");
            var latentElement = root.GetProperty("latent");
            if (latentElement.ValueKind != JsonValueKind.Number || !latentElement.TryGetInt32(out int latent) || latent < 1 || latent > Limits.MaxLayerWidth)
                throw new FormatException($"generator.latent '{TextExcerpt.Of(latentElement.GetRawText())}' is not a whole number in [1, {Limits.MaxLayerWidth}]");
            var imageElement = root.GetProperty("image");
            if (imageElement.ValueKind != JsonValueKind.Array || imageElement.GetArrayLength() is 0 or > 3)
                throw new FormatException("generator.image is not an array of 1 to 3 dimensions");
            int[] image = imageElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v is >= 1 and <= 4096
                ? v : throw new FormatException($"generator.image has '{TextExcerpt.Of(e.GetRawText())}', not a whole number in [1, 4096]")).ToArray();
            if (image.Aggregate(1L, (a, b) => a * b) > 4096L * 4096)
                throw new FormatException($"generator.image {Tensor.FormatShape(image)} has more than 4096 × 4096 values");
            string decoder = Text(root, "decoder");
            string output = Text(root, "output");
            string prior = Text(root, "prior");
            if (!Outputs.Contains(output)) throw new FormatException($"generator.output '{TextExcerpt.Of(output)}' is not one of {string.Join(", ", Outputs)}");
            if (!Priors.Contains(prior)) throw new FormatException($"generator.prior '{TextExcerpt.Of(prior)}' is not one of {string.Join(", ", Priors)}");
            string? end = root.TryGetProperty("end", out _) ? Text(root, "end") : null;
            var spec = new GeneratorSpec(latent, image, decoder, output, prior, end);
            _ = spec.DecoderIndex;
            _ = spec.EndIndex;
            return spec;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"generator is malformed ({TextExcerpt.Of(e.Message.Split('\n')[0].TrimEnd('.'), 200)})", e);
        }

        static string Text(JsonElement root, string name)
        {
            var e = root.GetProperty(name);
            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"generator.{name} is not a string");
        }
    }
}
