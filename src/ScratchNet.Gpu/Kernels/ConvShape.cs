namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// The sizes of one 2-D convolution over an NCHW batch, passed by value to the kernels: N samples of
/// C channels of H x W, O square filters of side k, stride s, zero padding p. Output side
/// <c>(in + 2p − k) / s + 1</c> (integer division), as <c>Conv2D</c> on the CPU.
/// </summary>
public readonly struct ConvShape
{
    /// <summary>The shape; use <see cref="Create"/>, which checks it.</summary>
    private ConvShape(int batch, int channels, int height, int width, int outChannels, int kernel, int stride, int padding)
    {
        Batch = batch;
        Channels = channels;
        Height = height;
        Width = width;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        OutHeight = (height + 2 * padding - kernel) / stride + 1;
        OutWidth = (width + 2 * padding - kernel) / stride + 1;
    }

    /// <summary>N, samples in the batch.</summary>
    public int Batch { get; }

    /// <summary>C, input channels.</summary>
    public int Channels { get; }

    /// <summary>H, input rows.</summary>
    public int Height { get; }

    /// <summary>W, input columns.</summary>
    public int Width { get; }

    /// <summary>O, output channels (filters).</summary>
    public int OutChannels { get; }

    /// <summary>k, the side of the square kernel.</summary>
    public int Kernel { get; }

    /// <summary>s, the step between windows.</summary>
    public int Stride { get; }

    /// <summary>p, zeros on every side of the input.</summary>
    public int Padding { get; }

    /// <summary>OH = (H + 2p − k) / s + 1.</summary>
    public int OutHeight { get; }

    /// <summary>OW = (W + 2p − k) / s + 1.</summary>
    public int OutWidth { get; }

    /// <summary>Input values, N·C·H·W.</summary>
    public int InputLength => Batch * Channels * Height * Width;

    /// <summary>Output values, N·O·OH·OW.</summary>
    public int OutputLength => Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Filter values, O·C·k·k.</summary>
    public int WeightLength => OutChannels * Channels * Kernel * Kernel;

    /// <summary>Rows of the im2col matrix, C·k·k.</summary>
    public int PatchLength => Channels * Kernel * Kernel;

    /// <summary>Columns of the im2col matrix, N·OH·OW.</summary>
    public int ColumnCount => Batch * OutHeight * OutWidth;

    /// <summary>
    /// The shape of a convolution, checked: every size at least 1, padding at least 0, the window fits
    /// the padded input, and every buffer it implies (input, output, filters, im2col matrix) holds
    /// fewer than 2³¹ values, so the kernels' 32-bit indices cannot wrap.
    /// </summary>
    /// <exception cref="ArgumentException">A size is out of range; the message names it.</exception>
    public static ConvShape Create(int batch, int channels, int height, int width, int outChannels, int kernel, int stride, int padding)
    {
        Positive(batch, nameof(batch));
        Positive(channels, nameof(channels));
        Positive(height, nameof(height));
        Positive(width, nameof(width));
        Positive(outChannels, nameof(outChannels));
        Positive(kernel, nameof(kernel));
        Positive(stride, nameof(stride));
        if (padding < 0) throw new ArgumentException($"ConvShape: padding must be 0 or more (got {padding}).", nameof(padding));
        if (height + 2L * padding < kernel || width + 2L * padding < kernel)
            throw new ArgumentException($"ConvShape: a {kernel}x{kernel} window does not fit a {height}x{width} input with padding {padding}.");
        long outH = (height + 2L * padding - kernel) / stride + 1, outW = (width + 2L * padding - kernel) / stride + 1;
        Fits((long)batch * channels * height * width, "input");
        Fits(batch * outChannels * outH * outW, "output");
        Fits((long)outChannels * channels * kernel * kernel, "filters");
        Fits((long)channels * kernel * kernel * batch * outH * outW, "im2col matrix");
        return new ConvShape(batch, channels, height, width, outChannels, kernel, stride, padding);
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"ConvShape: {name} must be at least 1 (got {value}).", name);
    }

    private static void Fits(long count, string what)
    {
        if (count > int.MaxValue) throw new ArgumentException($"ConvShape: the {what} would hold {count} values, more than a 32-bit index reaches.");
    }
}
