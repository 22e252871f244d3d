namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// The sizes of a 2-D pooling over an NCHW batch, passed by value to the kernels: N samples of C
/// channels of H x W, size x size windows moved by stride s, no padding; output side <c>(in − size) / s + 1</c>,
/// as <c>MaxPool2D</c> on the CPU.
/// </summary>
public readonly struct PoolShape
{
    private PoolShape(int batch, int channels, int height, int width, int size, int stride)
    {
        Batch = batch;
        Channels = channels;
        Height = height;
        Width = width;
        Size = size;
        Stride = stride;
        OutHeight = (height - size) / stride + 1;
        OutWidth = (width - size) / stride + 1;
    }

    /// <summary>N, samples in the batch.</summary>
    public int Batch { get; }

    /// <summary>C, channels.</summary>
    public int Channels { get; }

    /// <summary>H, input rows.</summary>
    public int Height { get; }

    /// <summary>W, input columns.</summary>
    public int Width { get; }

    /// <summary>The window's side.</summary>
    public int Size { get; }

    /// <summary>s, the step between windows.</summary>
    public int Stride { get; }

    /// <summary>OH = (H − size) / s + 1.</summary>
    public int OutHeight { get; }

    /// <summary>OW = (W − size) / s + 1.</summary>
    public int OutWidth { get; }

    /// <summary>Input values, N·C·H·W.</summary>
    public int InputLength => Batch * Channels * Height * Width;

    /// <summary>Output values, N·C·OH·OW.</summary>
    public int OutputLength => Batch * Channels * OutHeight * OutWidth;

    /// <summary>
    /// The shape of a pooling, checked: every size at least 1, the window no larger than the input,
    /// and the input under 2³¹ values so the kernels' 32-bit indices cannot wrap.
    /// </summary>
    /// <exception cref="ArgumentException">A size is out of range; the message names it.</exception>
    public static PoolShape Create(int batch, int channels, int height, int width, int size, int stride)
    {
        foreach (var (value, name) in new[] { (batch, nameof(batch)), (channels, nameof(channels)), (height, nameof(height)), (width, nameof(width)), (size, nameof(size)), (stride, nameof(stride)) })
            if (value < 1) throw new ArgumentException($"PoolShape: {name} must be at least 1 (got {value}).", name);
        if (size > height || size > width)
            throw new ArgumentException($"PoolShape: a {size}x{size} window does not fit a {height}x{width} input.", nameof(size));
        if ((long)batch * channels * height * width > int.MaxValue)
            throw new ArgumentException($"PoolShape: the input would hold {(long)batch * channels * height * width} values, more than a 32-bit index reaches.");
        return new PoolShape(batch, channels, height, width, size, stride);
    }
}
