using System.Globalization;
using System.Text.Json.Serialization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Models;

namespace ScratchNet.Training.Presets;

/// <summary>
/// A fully connected GAN for flat images of n pixels in [0, 1], built as the stack z ↦ D(G(z)) that a
/// <see cref="GanModel"/> splits:
/// <code>
/// G: z (d) → for each generator width: Dense → [BatchNorm →] LeakyReLU(α)  → Dense(n) → Sigmoid
/// D: x (n) → for each discriminator width: Dense → LeakyReLU(α) [→ Dropout] → [MinibatchStdDev →] Dense(1)   (a logit)
/// </code>
/// Weights before a LeakyReLU start He-uniform, the rest Glorot-uniform. Trained with
/// BinaryCrossEntropyWithLogits and an <see cref="Optimizers.AdversarialOptimizer"/> of two copies of the recipe's optimizer.
/// </summary>
public sealed record GanRecipe : ModelRecipe
{
    /// <summary>d, the size of the code z ~ N(0, I).</summary>
    public int LatentSize { get; init; } = 64;

    /// <summary>The generator's hidden widths, from the code to the image.</summary>
    public IReadOnlyList<int> GeneratorHidden { get; init; } = [256, 512];

    /// <summary>The discriminator's hidden widths, from the image to the logit.</summary>
    public IReadOnlyList<int> DiscriminatorHidden { get; init; } = [512, 256];

    /// <summary>α of LeakyReLU(x) = max(x, αx) in both networks.</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>Batch normalisation between each of the generator's hidden Dense layers and its activation.</summary>
    public bool GeneratorBatchNorm { get; init; }

    /// <summary>Dropout rate after each of the discriminator's hidden activations (0: none).</summary>
    public double DiscriminatorDropout { get; init; }

    /// <summary>
    /// t, the discriminator's target for real images (<see cref="TrainerOptions.GanRealTarget"/>): 1, or
    /// below 1 for one-sided label smoothing (0.9 in Salimans et al. 2016). In (0.5, 1].
    /// </summary>
    public double RealTarget { get; init; } = 1;

    /// <summary>
    /// G of a <see cref="MinibatchStdDev"/> feature before the discriminator's last Dense (0: none): the
    /// mean standard deviation over groups of G rows, so that D sees how varied a batch is. G should
    /// divide the batch size, so that no group mixes real and generated rows.
    /// </summary>
    public int DiscriminatorMinibatchStdDev { get; init; }

    /// <summary>Layers 0 .. k-1 of the built stack are the generator: this k.</summary>
    [JsonIgnore]
    public int GeneratorLayerCount => GeneratorHidden.Count * (GeneratorBatchNorm ? 3 : 2) + 2;

    /// <inheritdoc/>
    public override void Validate()
    {
        // A recipe read from JSON may hold null where the types say it cannot.
        if (GeneratorHidden is null || DiscriminatorHidden is null)
            throw new ArgumentException("The generator's and discriminator's widths ('generator_hidden', 'discriminator_hidden') may be empty, but not null.");
        if (LatentSize < 1 || LatentSize > Limits.MaxLatentSize)
            throw new ArgumentException($"The latent size must be in [1, {Limits.MaxLatentSize}] (got {LatentSize}).");
        foreach (var (name, widths) in new[] { ("generator", GeneratorHidden), ("discriminator", DiscriminatorHidden) })
        {
            if (widths.Count > Limits.MaxHiddenLayers) throw new ArgumentException($"The {name} may have at most {Limits.MaxHiddenLayers} hidden layers (got {widths.Count}).");
            if (widths.Any(w => w < 1 || w > Limits.MaxLayerWidth))
                throw new ArgumentException($"The {name}'s hidden widths must be in [1, {Limits.MaxLayerWidth}] (got {string.Join(",", widths.Take(8))}{(widths.Count > 8 ? ",..." : "")}).");
        }
        if (!(Alpha >= 0 && Alpha < 1)) throw new ArgumentException($"The LeakyReLU slope α must be in [0, 1) (got {Alpha}).");
        if (!(DiscriminatorDropout >= 0 && DiscriminatorDropout < 1)) throw new ArgumentException($"The discriminator's dropout rate must be in [0, 1) (got {DiscriminatorDropout}).");
        if (DiscriminatorMinibatchStdDev != 0 && (DiscriminatorMinibatchStdDev < 2 || DiscriminatorMinibatchStdDev > Limits.MaxBatchSize))
            throw new ArgumentException($"The discriminator's minibatch standard deviation groups must be 0 (none) or in [2, {Limits.MaxBatchSize}] rows (got {DiscriminatorMinibatchStdDev}).");
        if (!(RealTarget > 0.5 && RealTarget <= 1)) throw new ArgumentException($"The discriminator's target for real images must be in (0.5, 1] (got {RealTarget}).");
    }

    /// <summary>The unbuilt stack [G; D] for the data's flat images (<paramref name="outputs"/> is ignored: D gives one logit).</summary>
    /// <exception cref="ArgumentException">The samples are not flat vectors.</exception>
    public override Sequential Build(LoadedData data, int outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate();
        int pixels = Pixels(data);
        var layers = new List<Layer>();
        foreach (int width in GeneratorHidden)
        {
            layers.Add(new Dense(width, new HeUniform()));
            if (GeneratorBatchNorm) layers.Add(new BatchNorm());
            layers.Add(new LeakyReLU((float)Alpha));
        }
        layers.Add(new Dense(pixels, new XavierUniform()));
        layers.Add(new Sigmoid());
        foreach (int width in DiscriminatorHidden)
        {
            layers.Add(new Dense(width, new HeUniform()));
            layers.Add(new LeakyReLU((float)Alpha));
            if (DiscriminatorDropout > 0) layers.Add(new Dropout((float)DiscriminatorDropout));
        }
        if (DiscriminatorMinibatchStdDev > 0) layers.Add(new MinibatchStdDev(DiscriminatorMinibatchStdDev));
        layers.Add(new Dense(1, new XavierUniform()));
        return new Sequential(layers.ToArray());
    }

    /// <summary>The GAN over an unbuilt stack from <see cref="Build"/>.</summary>
    public GanModel Wrap(Sequential stack) => new(stack, GeneratorLayerCount, LatentSize);

    /// <inheritdoc/>
    public override string Describe(LoadedData data, int outputs)
    {
        int pixels = Pixels(data);
        string g = string.Join("-", new[] { LatentSize }.Concat(GeneratorHidden).Append(pixels).Select(w => w.ToString(CultureInfo.InvariantCulture)));
        string d = string.Join("-", new[] { pixels }.Concat(DiscriminatorHidden).Append(1).Select(w => w.ToString(CultureInfo.InvariantCulture)));
        string alpha = Alpha.ToString("0.##", CultureInfo.InvariantCulture);
        return $"GAN: generator {g}{(GeneratorBatchNorm ? " with batch norm" : "")}, sigmoid; discriminator {d}{(DiscriminatorDropout > 0 ? $" with dropout {DiscriminatorDropout.ToString("0.##", CultureInfo.InvariantCulture)}" : "")}{(DiscriminatorMinibatchStdDev > 0 ? $" and a minibatch std feature (groups of {DiscriminatorMinibatchStdDev})" : "")}; LeakyReLU {alpha}{(RealTarget < 1 ? $"; real target {RealTarget.ToString("0.##", CultureInfo.InvariantCulture)}" : "")}";
    }

    private static int Pixels(LoadedData data) => data.Train.SampleShape is [int n]
        ? n
        : throw new ArgumentException($"The GAN recipe draws flat images; the samples of {data.Info.Name} are {Tensors.Tensor.FormatShape(data.Train.SampleShape)}.");
}
