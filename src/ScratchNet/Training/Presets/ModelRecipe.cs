using System.Text.Json.Serialization;
using ScratchNet.Data;
using ScratchNet.Models;
using ScratchNet.Serialization;

namespace ScratchNet.Training.Presets;

/// <summary>
/// A network as data: <see cref="Build"/> makes it for the loaded data, whose sample shape gives the
/// input and whose classes or target width give the outputs. The built-in kinds (<see cref="MlpRecipe"/>,
/// <see cref="CnnRecipe"/>) are saved in checkpoints as JSON; a kind defined elsewhere trains the same
/// way, but a run of it resumes only through the library (with the recipe given again).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MlpRecipe), "mlp")]
[JsonDerivedType(typeof(CnnRecipe), "cnn")]
[JsonDerivedType(typeof(LanguageModelRecipe), "language-model")]
[JsonDerivedType(typeof(GanRecipe), "gan")]
[JsonDerivedType(typeof(AutoencoderRecipe), "autoencoder")]
public abstract record ModelRecipe
{
    /// <summary>A new, unbuilt model for samples of <paramref name="data"/> with <paramref name="outputs"/> output units.</summary>
    public abstract Sequential Build(LoadedData data, int outputs);

    /// <summary>The network in words for this data ("784-256-128-10, ReLU").</summary>
    public abstract string Describe(LoadedData data, int outputs);

    /// <summary>The decoder inside the built model, for an autoencoder or an image generator (the model file keeps it); null for other networks.</summary>
    public virtual GeneratorSpec? Generator(LoadedData data) => null;

    /// <summary>Checks the settings that do not need the data.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or unknown.</exception>
    public virtual void Validate() { }

    /// <summary>
    /// Checks hidden widths as a recipe read from JSON may give them: not null (JSON can say null where
    /// the types cannot), at most <see cref="Limits.MaxHiddenLayers"/> of them, each in [1, <see cref="Limits.MaxLayerWidth"/>].
    /// </summary>
    /// <param name="widths">The widths.</param>
    /// <param name="key">Their key in the recipe ("hidden").</param>
    /// <param name="network">What has them, starting a sentence ("An MLP").</param>
    /// <exception cref="ArgumentException">The widths are null, too many, or one is out of range.</exception>
    protected static void ValidateHiddenWidths(IReadOnlyList<int>? widths, string key, string network)
    {
        if (widths is null) throw new ArgumentException($"The hidden layer widths ('{key}') may be empty, but not null.");
        if (widths.Count > Limits.MaxHiddenLayers) throw new ArgumentException($"{network} may have at most {Limits.MaxHiddenLayers} hidden layers (got {widths.Count}).");
        if (widths.Any(w => w < 1 || w > Limits.MaxLayerWidth))
            throw new ArgumentException($"Hidden layer widths must be in [1, {Limits.MaxLayerWidth}] (got {string.Join(",", widths.Take(8))}{(widths.Count > 8 ? ",..." : "")}).");
    }
}
