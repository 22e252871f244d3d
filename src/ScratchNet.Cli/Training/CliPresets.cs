using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training.Presets;

namespace ScratchNet.Cli.Training;

/// <summary>
/// Every preset `scratchnet train` knows: the library's <see cref="PresetCatalog"/> plus the recipes
/// defined here (2-D synthetic sets with decision boundaries, and the convolutional networks). A name
/// the library defines wins, so a recipe can move into the library without changing the CLI.
/// </summary>
public static class CliPresets
{
    /// <summary>spirals: three interleaved arms, 2-64-64-3 tanh MLP, Adam 0.01, batch 32, 100 epochs.</summary>
    public static Preset Spirals { get; } = Synthetic("spirals", "three interleaved spiral arms", [64, 64], "tanh", epochs: 100, goal: 0.95);

    /// <summary>circles: a ring around a disc, 2-16-16-2 tanh MLP, Adam 0.01, 40 epochs.</summary>
    public static Preset Circles { get; } = Synthetic("circles", "a ring around a disc", [16, 16], "tanh", epochs: 40, goal: 0.98);

    /// <summary>moons: two interleaved half-moons, 2-16-16-2 tanh MLP, Adam 0.01, 40 epochs.</summary>
    public static Preset Moons { get; } = Synthetic("moons", "two interleaved half-moons", [16, 16], "tanh", epochs: 40, goal: 0.97);

    /// <summary>mnist-cnn: the library's <see cref="PresetCatalog.MnistCnn"/> (listed here while PresetCatalog.All leaves it out).</summary>
    public static Preset MnistCnn => PresetCatalog.MnistCnn;

    /// <summary>fashion-cnn: the library's <see cref="PresetCatalog.FashionCnn"/>.</summary>
    public static Preset FashionCnn => PresetCatalog.FashionCnn;

    /// <summary>The presets on generated 2-D data, whose sample count --samples may change.</summary>
    public static IReadOnlyList<string> SyntheticNames => [Spirals.Name, Circles.Name, Moons.Name];

    /// <summary>Whether <paramref name="preset"/> is one of <see cref="SyntheticNames"/> (or a custom run on a generated set).</summary>
    public static bool IsSynthetic(Preset preset) =>
        ReferenceEquals(preset, Spirals) || ReferenceEquals(preset, Circles) || ReferenceEquals(preset, Moons)
        || (preset.Description.StartsWith("custom run", StringComparison.Ordinal) && DatasetCatalog.Find(preset.Dataset)?.Kind == DatasetKind.Synthetic);

    /// <summary>The library's presets, then ours (names the library already has are skipped).</summary>
    public static IReadOnlyList<Preset> All
    {
        get
        {
            var list = PresetCatalog.All.ToList();
            foreach (var p in new[] { Spirals, Circles, Moons, MnistCnn, FashionCnn })
                if (!list.Any(q => string.Equals(q.Name, p.Name, StringComparison.OrdinalIgnoreCase))) list.Add(p);
            return list;
        }
    }

    /// <summary>The names, in display order.</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    /// <summary>The preset named <paramref name="name"/>, or a one-line usage error listing them.</summary>
    public static Preset Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new CliError($"unknown preset '{name}'; known presets: {string.Join(", ", Names)}. See 'scratchnet train --help' for usage.");

    private static Preset Synthetic(string dataset, string what, int[] hidden, string activation, int epochs, double goal)
    {
        int classes = dataset == "spirals" ? 3 : 2;
        return new Preset
        {
            Name = dataset,
            Description = $"{dataset} ({what}): {2}-{string.Join('-', hidden)}-{classes} {activation} MLP, softmax cross-entropy, Adam 0.01, batch 32, {epochs} epochs",
            Dataset = dataset,
            ModelDescription = $"2-{string.Join('-', hidden)}-{classes}, {activation}",
            Epochs = epochs,
            BatchSize = 32,
            CreateModel = () => Mlp(hidden, activation, classes, dropout: 0),
            CreateLoss = () => new SoftmaxCrossEntropy(),
            CreateOptimizer = () => new Adam(0.01f),
            GoalAccuracy = goal,
            LoadData = (manager, seed) => manager.Load(dataset, new DatasetLoadOptions { Seed = seed }),
        };
    }

    /// <summary>
    /// A multilayer perceptron: [Flatten for images,] then per hidden width Dense, activation
    /// [, Dropout], and a Dense output layer of <paramref name="outputs"/> units.
    /// </summary>
    public static Sequential Mlp(IReadOnlyList<int> hidden, string activation, int outputs, double dropout, bool flatten = false)
    {
        var layers = new List<Layer>();
        if (flatten) layers.Add(new Flatten());
        foreach (int width in hidden)
        {
            layers.Add(new Dense(width, NamedParts.InitializerFor(activation)));
            layers.Add(NamedParts.Activation(activation));
            if (dropout > 0) layers.Add(new Dropout((float)dropout));
        }
        layers.Add(new Dense(outputs));
        return new Sequential(layers.ToArray());
    }
}
