using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// The sizes of a 2-D sliding window over an NCHW input: channels, height, width, a square kernel,
/// stride and zero padding. Output size per side: <c>out = (in + 2 * padding - kernel) / stride + 1</c>
/// (integer division: windows that would run off the padded edge are dropped).
/// </summary>
internal readonly record struct ConvGeometry(int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
{
    /// <summary>Output rows.</summary>
    public int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>Output columns.</summary>
    public int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;

    /// <summary>Output positions per channel, <c>OutHeight * OutWidth</c>.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>Input positions per channel, <c>Height * Width</c>.</summary>
    public int InPlane => Height * Width;

    /// <summary>Rows of the im2col matrix: one per (channel, kernel row, kernel column).</summary>
    public int PatchLength => Channels * Kernel * Kernel;

    /// <summary>
    /// Reads (C, H, W) from a per-sample shape and checks that the window fits; the error names the
    /// layer and the shape.
    /// </summary>
    public static ConvGeometry From(int[] inputShape, int kernel, int stride, int padding, string layer)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException($"{layer} expects per-sample input (channels, height, width), got {Tensor.FormatShape(inputShape)}.");
        var g = new ConvGeometry(inputShape[0], inputShape[1], inputShape[2], kernel, stride, padding);
        if (g.Channels < 1 || g.Height < 1 || g.Width < 1)
            throw new ArgumentException($"{layer}: input shape {Tensor.FormatShape(inputShape)} has an empty dimension.");
        // In 64 bits: a padding near int.MaxValue must not wrap around into a small size.
        long paddedHeight = g.Height + 2L * padding, paddedWidth = g.Width + 2L * padding;
        if (paddedHeight < kernel || paddedWidth < kernel)
            throw new ArgumentException($"{layer}: a {kernel}x{kernel} window does not fit input {Tensor.FormatShape(inputShape)} with padding {padding}.");
        if (paddedHeight > int.MaxValue || paddedWidth > int.MaxValue)
            throw new ArgumentException($"{layer}: padding {padding} makes input {Tensor.FormatShape(inputShape)} larger than an array can hold.");
        return g;
    }

    /// <summary>Checks a batch (N, C, H, W) against this geometry and returns N.</summary>
    public int BatchOf(Tensor input, string layer)
    {
        if (input.Rank != 4 || input.Dim(1) != Channels || input.Dim(2) != Height || input.Dim(3) != Width)
            throw new ShapeMismatchException($"{layer}.Forward: input", input.ShapeString, $"(batch, {Channels}, {Height}, {Width})");
        return input.Dim(0);
    }
}
