using System.Globalization;
using ScratchNet.Models;

namespace ScratchNet.Serialization;

/// <summary>
/// How a model file holds a <see cref="GanModel"/>: its stack z ↦ D(G(z)) as a Sequential (tensors
/// "layers.{i}"), and in the metadata "generative" = "gan", "gan.generator_layers" = k (layers 0 .. k-1
/// are the generator) and "gan.latent_size" = d. The discriminator's layers stay in the file, so a
/// checkpoint resumes both networks and the file can be trained on. Its <see cref="GeneratorSpec"/>
/// ("decoder" layers.0, "end" layers.k, prior "normal") lets <c>scratchnet generate</c> draw from the
/// generator as from any image generator.
/// </summary>
public static class GanFile
{
    /// <summary>The metadata key that names a generative model's kind.</summary>
    public const string KindKey = "generative";

    /// <summary>The kind of a GAN.</summary>
    public const string Kind = "gan";

    /// <summary>Key of k, the generator's layer count.</summary>
    public const string GeneratorLayersKey = "gan.generator_layers";

    /// <summary>Key of d, the code's size.</summary>
    public const string LatentSizeKey = "gan.latent_size";

    /// <summary>Writes the three keys of <paramref name="gan"/> and its generator's <see cref="GeneratorSpec"/> into <paramref name="meta"/>.</summary>
    public static void Describe(ModelMetadata meta, GanModel gan)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(gan);
        meta.Extra[KindKey] = Kind;
        meta.Extra[GeneratorLayersKey] = gan.GeneratorLayerCount.ToString(CultureInfo.InvariantCulture);
        meta.Extra[LatentSizeKey] = gan.LatentSize.ToString(CultureInfo.InvariantCulture);
        meta.Generator = GeneratorOf(gan);
    }

    /// <summary>
    /// The generator's entry of <paramref name="gan"/>'s file: layers 0 .. k-1 of the stack ("decoder"
    /// layers.0, "end" layers.k), codes from N(0, I), a sigmoid output (tanh where the generator ends in one).
    /// </summary>
    public static GeneratorSpec GeneratorOf(GanModel gan)
    {
        ArgumentNullException.ThrowIfNull(gan);
        int[] image = [gan.LatentSize]; // the generator's output, known before the stack is built (a checkpoint's metadata is made first)
        for (int i = 0; i < gan.GeneratorLayerCount; i++) image = gan.Stack.Layers[i].OutputShape(image);
        string output = gan.Stack.Layers[gan.GeneratorLayerCount - 1] is Layers.Activations.Tanh ? "tanh" : "sigmoid";
        return new GeneratorSpec(gan.LatentSize, GeneratorSpec.ImageShapeOf(image), "layers.0", output, "normal",
            "layers." + gan.GeneratorLayerCount.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether <paramref name="meta"/> says its file holds a GAN.</summary>
    public static bool IsGan(ModelMetadata meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Extra.TryGetValue(KindKey, out var kind) && kind == Kind;
    }

    /// <summary>The GAN over <paramref name="stack"/> (built, as read from <paramref name="path"/>), from the keys of <paramref name="meta"/>.</summary>
    /// <exception cref="ModelFileException">The file is not a GAN's, or a key is missing, not a whole number, or does not fit the stack.</exception>
    public static GanModel Open(Sequential stack, ModelMetadata meta, string path)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(meta);
        if (!IsGan(meta)) throw new ModelFileException(path, $"not a GAN (its metadata has no '{KindKey}' = '{Kind}')");
        int layers = Whole(meta, GeneratorLayersKey, path);
        int latent = Whole(meta, LatentSizeKey, path);
        if (layers < 1 || layers >= stack.Layers.Count)
            throw new ModelFileException(path, $"'{GeneratorLayersKey}' is {layers}, but the stack's {stack.Layers.Count} layers leave the generator 1 to {stack.Layers.Count - 1}");
        if (!stack.InputShape.AsSpan().SequenceEqual([latent]))
            throw new ModelFileException(path, $"'{LatentSizeKey}' is {latent}, but the stack takes input {Tensors.Tensor.FormatShape(stack.InputShape)}");
        var gan = new GanModel(stack, layers, latent);
        if (gan.OutputShape is not [1])
            throw new ModelFileException(path, $"the discriminator gives {Tensors.Tensor.FormatShape(gan.OutputShape)} per image, not one logit");
        return gan;
    }

    private static int Whole(ModelMetadata meta, string key, string path)
    {
        if (!meta.Extra.TryGetValue(key, out var text)) throw new ModelFileException(path, $"a GAN's file needs '{key}'");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            throw new ModelFileException(path, $"'{key}' is '{TextExcerpt.Of(text)}', not a whole number");
        return value;
    }
}
