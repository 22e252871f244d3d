using System.Globalization;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;

namespace ScratchNet.Training.Presets;

/// <summary>
/// The small convolutional network of the CNN presets (<see cref="CnnModels.SmallCnn"/>): two 5x5
/// convolutions with max-pooling, a 128-unit dense layer and the output layer, for (1, 28, 28) images.
/// </summary>
public sealed record CnnRecipe : ModelRecipe
{
    /// <summary>Random shifts of up to this many pixels during training (0: none).</summary>
    public int MaxShift { get; init; }

    /// <summary>The activation after each convolution and the dense layer, by <see cref="LayerFactory.Activation"/> name.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout rate after each activation (0: none).</summary>
    public double Dropout { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        // A shift of 28 pixels or more moves a 28x28 image out of its frame.
        if (MaxShift is < 0 or > 27) throw new ArgumentException($"The largest shift must be in [0, 27] pixels (got {MaxShift}).");
        if (!TextExcerpt.IsName(Activation)) throw new ArgumentException($"The activation is not a name: '{TextExcerpt.Of(Activation)}'.");
        LayerFactory.Activation(Activation);
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"The dropout rate must be in [0, 1) (got {Dropout}).");
    }

    /// <inheritdoc/>
    public override Sequential Build(LoadedData data, int outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        Validate();
        if (data.Train.SampleShape.Length != 3)
            throw new ArgumentException($"A convolutional network takes images of shape (channels, height, width); '{data.Info.Name}' has samples of shape ({string.Join(", ", data.Train.SampleShape)}): load the images channels-first.");
        return CnnModels.SmallCnn(outputs, MaxShift, Activation, Dropout);
    }

    /// <inheritdoc/>
    public override string Describe(LoadedData data, int outputs)
    {
        string act = LayerFactory.Activation(Activation).TypeName;
        string text = $"conv5x5 1-32, maxpool 2, conv5x5 32-64, maxpool 2, 1024-128-{outputs}, {act}";
        if (MaxShift > 0) text += $", shift ±{MaxShift}";
        if (Dropout > 0) text += ", dropout " + Dropout.ToString("G", CultureInfo.InvariantCulture);
        return text;
    }
}
