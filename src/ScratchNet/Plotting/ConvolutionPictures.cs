using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Plotting;

/// <summary>
/// Pictures of what a convolutional network learned: the filters of a <see cref="Conv2D"/> as small
/// tiles (blue negative, red positive, each on its own symmetric scale), and the feature maps one image
/// produces after a given layer (grey, each map on its own [min, max]).
/// </summary>
public static class ConvolutionPictures
{
    /// <summary>
    /// One tile of k x k weights per filter, for input channel <paramref name="inputChannel"/>
    /// (a first layer on grey images has only channel 0).
    /// </summary>
    public static RgbImage Filters(Conv2D layer, int inputChannel = 0, int columns = 8, int pixelScale = 8)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.IsBuilt) throw new InvalidOperationException($"{layer}: build the model before drawing its filters.");
        var w = layer.Weight.Value;
        int outC = w.Dim(0), inC = w.Dim(1), k = w.Dim(2);
        if ((uint)inputChannel >= (uint)inC)
            throw new ArgumentOutOfRangeException(nameof(inputChannel), $"{layer}: input channel {inputChannel} is outside its {inC} channels.");
        var tiles = new float[outC * k * k];
        for (int o = 0; o < outC; o++)
            w.Span.Slice((o * inC + inputChannel) * k * k, k * k).CopyTo(tiles.AsSpan(o * k * k));
        return ImageGrid.Tiles(tiles, outC, k, k, columns, ColorMap.Diverging, TileScaling.SymmetricPerTile, pixelScale, gap: 2);
    }

    /// <summary>
    /// The channels of the output of layer <paramref name="layerIndex"/> of <paramref name="model"/> for one
    /// image <paramref name="image"/> (per-sample shape, e.g. (1, 28, 28)), at most <paramref name="maxMaps"/>.
    /// The layers run in inference mode.
    /// </summary>
    public static RgbImage FeatureMaps(Sequential model, Tensor image, int layerIndex, int maxMaps = 32, int columns = 8, int pixelScale = 4)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        if (!model.IsBuilt) throw new InvalidOperationException("Build the model before drawing feature maps.");
        if ((uint)layerIndex >= (uint)model.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layerIndex), $"Layer {layerIndex} is outside the model's {model.Layers.Count} layers.");
        if (image.Length != model.InputShape.Aggregate(1, (a, b) => a * b))
            throw new ShapeMismatchException("FeatureMaps: image", image.ShapeString, Tensor.FormatShape(model.InputShape));
        Tensor h = image.Reshape([1, .. model.InputShape]);
        for (int i = 0; i <= layerIndex; i++) h = model.Layers[i].Forward(h, training: false);
        if (h.Rank != 4)
            throw new ArgumentException($"Layer {layerIndex} ({model.Layers[layerIndex]}) gives {h.ShapeString}, not (1, channels, height, width) maps.");
        int maps = Math.Min(h.Dim(1), Math.Max(1, maxMaps)), height = h.Dim(2), width = h.Dim(3);
        return ImageGrid.Tiles(h.Span[..(maps * height * width)], maps, height, width, columns, ColorMap.Gray, TileScaling.MinMaxPerTile, pixelScale, gap: 2);
    }

    /// <summary>Writes <see cref="Filters"/> as a PNG file (atomically).</summary>
    public static void SaveFilters(string path, Conv2D layer, int inputChannel = 0) => PngEncoder.Save(path, Filters(layer, inputChannel));

    /// <summary>Writes <see cref="FeatureMaps"/> as a PNG file (atomically).</summary>
    public static void SaveFeatureMaps(string path, Sequential model, Tensor image, int layerIndex, int maxMaps = 32) =>
        PngEncoder.Save(path, FeatureMaps(model, image, layerIndex, maxMaps));
}
