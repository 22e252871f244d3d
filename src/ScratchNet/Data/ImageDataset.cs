using ScratchNet.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace ScratchNet.Data;

/// <summary>
/// Grey-scale images kept as bytes (MNIST: 47 MB instead of 188 MB as floats) with integer class
/// labels. <see cref="CopyBatch"/> converts only the requested samples: x = byte / 255, in [0, 1].
/// </summary>
public sealed class ImageDataset : Dataset
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly int[] _sampleShape;
    private readonly IReadOnlyList<string>? _classNames;

    /// <summary>
    /// Wraps <paramref name="pixels"/> (count * height * width bytes, row-major, no copy) and
    /// <paramref name="labels"/> (count class indices below <paramref name="classCount"/>).
    /// <paramref name="channelsFirst"/> gives samples of shape (1, height, width) for convolutions;
    /// otherwise samples are flat (height * width).
    /// </summary>
    /// <exception cref="DataFormatException">The sizes disagree or a label is out of range.</exception>
    public ImageDataset(string name, byte[] pixels, byte[] labels, int height, int width, int classCount,
        IReadOnlyList<string>? classNames = null, bool channelsFirst = false)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (height <= 0 || width <= 0) throw new DataFormatException(name, $"image size {height} x {width} must be positive");
        long pixelsPerImage = (long)height * width;
        if (pixels.Length % pixelsPerImage != 0)
            throw new DataFormatException(name, $"{pixels.Length:N0} pixel bytes are not a whole number of {height} x {width} images");
        long count = pixels.Length / pixelsPerImage;
        if (labels.Length != count)
            throw new DataFormatException(name, $"{labels.Length:N0} labels for {count:N0} images (the counts must be equal)");
        if (classCount <= 0) throw new DataFormatException(name, $"class count {classCount} must be positive");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classCount)
                throw new DataFormatException(name, $"label {labels[i]} of sample {i} is not a class index below {classCount}");
        if (classNames != null && classNames.Count != classCount)
            throw new DataFormatException(name, $"{classNames.Count} class names for {classCount} classes");
        Name = name;
        _pixels = pixels;
        _labels = labels;
        Height = height;
        Width = width;
        ClassCount = classCount;
        _classNames = classNames;
        ChannelsFirst = channelsFirst;
        _sampleShape = channelsFirst ? [1, height, width] : [height * width];
    }

    /// <summary>Builds a dataset from an IDX image file (n, h, w) and an IDX label file (n).</summary>
    /// <exception cref="DataFormatException">The ranks are wrong or the counts disagree.</exception>
    public static ImageDataset FromIdx(string name, IdxFile images, IdxFile labels, int classCount,
        IReadOnlyList<string>? classNames = null, bool channelsFirst = false)
    {
        if (images.Dimensions.Length != 3)
            throw new DataFormatException(name, $"the image file has rank {images.Dimensions.Length} (dimensions {string.Join(" x ", images.Dimensions)}); images need rank 3 (count x height x width)");
        if (labels.Dimensions.Length != 1)
            throw new DataFormatException(name, $"the label file has rank {labels.Dimensions.Length} (dimensions {string.Join(" x ", labels.Dimensions)}); labels need rank 1");
        if (labels.Count != images.Count)
            throw new DataFormatException(name, $"the label file has {labels.Count:N0} labels but the image file has {images.Count:N0} images (the counts must be equal)");
        return new ImageDataset(name, images.Data, labels.Data, images.Dimensions[1], images.Dimensions[2], classCount, classNames, channelsFirst);
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override int Count => _labels.Length;
    /// <inheritdoc/>
    public override int[] SampleShape => (int[])_sampleShape.Clone();
    /// <inheritdoc/>
    public override int ClassCount { get; }
    /// <inheritdoc/>
    public override IReadOnlyList<string> ClassNames => _classNames ?? base.ClassNames;

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Whether samples have shape (1, height, width) rather than (height * width).</summary>
    public bool ChannelsFirst { get; }

    /// <summary>The raw pixels of sample <paramref name="index"/> (row-major bytes).</summary>
    public ReadOnlySpan<byte> Pixels(int index) => _pixels.AsSpan(index * Height * Width, Height * Width);

    /// <summary>The class index of sample <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>
    /// The mean and the population standard deviation of every pixel of every image, as x = byte / 255
    /// (MNIST's training images: 0.1307 and 0.3081). Summed in double over byte counts, so exact up to
    /// the final division.
    /// </summary>
    public (double Mean, double Deviation) PixelStatistics()
    {
        Span<long> counts = stackalloc long[256];
        foreach (byte b in _pixels) counts[b]++;
        double n = _pixels.Length, sum = 0, squares = 0;
        for (int v = 0; v < 256; v++)
        {
            double x = v / 255.0;
            sum += counts[v] * x;
            squares += counts[v] * x * x;
        }
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, squares / n - mean * mean)));
    }

    /// <summary>The same images and labels with the other sample shape (flat or (1, h, w)); no copy.</summary>
    public ImageDataset WithChannelsFirst(bool channelsFirst) =>
        channelsFirst == ChannelsFirst ? this : new ImageDataset(Name, _pixels, _labels, Height, Width, ClassCount, _classNames, channelsFirst);

    /// <inheritdoc/>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        int pixels = Height * Width;
        if (features.Length != indices.Length * pixels)
            throw new ShapeMismatchException($"CopyBatch of {indices.Length} images from '{Name}' into features", features.ShapeString, Tensor.FormatShape([indices.Length, .. _sampleShape]));
        if (targets.Length != indices.Length)
            throw new ShapeMismatchException($"CopyBatch of {indices.Length} labels from '{Name}' into targets", targets.ShapeString, Tensor.FormatShape([indices.Length]));
        var dst = features.Span;
        var tdst = targets.Span;
        for (int b = 0; b < indices.Length; b++)
        {
            int i = indices[b];
            if ((uint)i >= (uint)_labels.Length)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Sample index {i} is outside dataset '{Name}' of {_labels.Length} samples.");
            var src = _pixels.AsSpan(i * pixels, pixels);
            var row = dst.Slice(b * pixels, pixels);
            // x = byte / 255: a widening conversion (exact) then one IEEE division per element, so
            // the vector path gives the same bits as the scalar `src[j] / 255f` (tested).
            TensorPrimitives.ConvertTruncating<byte, float>(src, row);
            TensorPrimitives.Divide(row, 255f, row);
            tdst[b] = _labels[i];
        }
    }
}
