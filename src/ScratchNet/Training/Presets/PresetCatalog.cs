namespace ScratchNet.Training.Presets;

/// <summary>The presets by name. Names are fixed: tv-marketing, xor, mnist-mlp, fashion-mlp, mnist-mlp-plus, fashion-mlp-plus, mnist-cnn, fashion-cnn.</summary>
public static partial class PresetCatalog
{
    /// <summary>Every preset, in display order.</summary>
    public static IReadOnlyList<Preset> All =>
        [TvMarketing, Xor, MnistMlp, FashionMlp, MnistMlpPlus, FashionMlpPlus, MnistCnn, FashionCnn];

    /// <summary>The names, in display order.</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    /// <summary>The preset named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such preset; the message lists the known ones.</exception>
    public static Preset Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preset '{name}'. Known presets: {string.Join(", ", Names)}.", nameof(name));
}
