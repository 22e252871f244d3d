using ScratchNet.Data;

namespace ScratchNet.Training.Presets;

/// <summary>
/// The presets: named recipes, each a value (<see cref="Recipe"/>) that a run may copy with changes.
/// tv-marketing, xor, mnist-mlp, fashion-mlp, mnist-mlp-plus, fashion-mlp-plus, mnist-cnn, fashion-cnn,
/// spirals, circles and moons; <see cref="ForDataset"/> makes the recipe of a run on any dataset.
/// </summary>
public static partial class PresetCatalog
{
    // Getters, not stored lists: the presets are static properties of other partial files, whose
    // initialisers may run after this file's.
    /// <summary>Every preset, in display order.</summary>
    public static IReadOnlyList<Recipe> All =>
        [TvMarketing, Xor, MnistMlp, FashionMlp, MnistMlpPlus, FashionMlpPlus, MnistCnn, FashionCnn, Spirals, Circles, Moons, HousePrices, HousePrices2, Churn,
            NamesBigram, NamesMlp, NamesRnn, NamesLstm, NamesGru, NamesTransformer, ShakespeareGpt, MnistAutoencoder, MnistVae, MnistVae2D, MnistGan];

    /// <summary>The names, in display order.</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    /// <summary>The presets on generated 2-D sets (whose sample count a run may change).</summary>
    public static IReadOnlyList<string> SyntheticNames => [Spirals.Name, Circles.Name, Moons.Name];

    /// <summary>The preset named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such preset; the message lists the known ones.</exception>
    public static Recipe Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Unknown preset '{name}'. Known presets: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The preset named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static Recipe? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The recipe of a run on dataset <paramref name="dataset"/> (a name, a CSV path or a text file) without a
    /// preset: for a text, the language model and training of names-transformer (one item per line) or
    /// shakespeare-gpt (a stream); otherwise an MLP with ReLU, 256-128 for images (pixels z-scored), 64-64 for tables (features
    /// z-scored) and 2-D sets; Adam with η₀ = 1e-3 for images, 0.01 otherwise; batch 64 for images, 32
    /// otherwise; 20 epochs; the loss by the task (softmax cross-entropy or mean squared error).
    /// </summary>
    /// <exception cref="DataFormatException">No such dataset or file.</exception>
    public static Recipe ForDataset(string dataset, string? target = null, DatasetManager? manager = null)
    {
        var info = (manager ?? new DatasetManager(new DatasetManagerOptions { AllowDownload = false })).Info(dataset);
        if (info.Kind is DatasetKind.Text or DatasetKind.TextFile)
        {
            // A text trains a language model: names as names-transformer does, a stream as shakespeare-gpt does.
            var like = info.TextLayout == TextLayout.Lines ? NamesTransformer : ShakespeareGpt;
            return like with
            {
                Name = info.Name,
                Description = $"custom run on {info.Name}: {like.Name}'s model and training",
                Data = like.Data with { Dataset = info.Kind == DatasetKind.TextFile ? dataset : info.Name },
            };
        }
        bool images = info.Kind == DatasetKind.Images;
        return new Recipe
        {
            Name = info.Name,
            Description = $"custom run on {info.Name}{(target is null ? "" : $" (target {target})")}",
            Data = new DataRecipe
            {
                Dataset = info.Kind == DatasetKind.CsvFile ? dataset : info.Name,
                Target = target,
                Standardize = info.Kind == DatasetKind.Synthetic ? StandardizeMode.None : StandardizeMode.ZScore,
                StandardizeTarget = info.Kind is DatasetKind.Table or DatasetKind.CsvFile,
            },
            Model = new MlpRecipe { Hidden = images ? [256, 128] : [64, 64] },
            Optimizer = new OptimizerRecipe { Name = "adam", LearningRate = images ? 1e-3 : 0.01 },
            Epochs = 20,
            BatchSize = images ? 64 : 32,
        };
    }
}
