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
}
