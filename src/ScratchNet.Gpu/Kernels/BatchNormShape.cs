namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// The sizes of a batch normalisation, passed by value to the kernels: N samples of C channels of P
/// values each, the value (n, c, q) at <c>(n·C + c)·P + q</c>. <c>BatchNorm2D</c> is (N, C, H·W);
/// <c>BatchNorm</c> over F features is (N, F, 1).
/// </summary>
public readonly struct BatchNormShape
{
    private BatchNormShape(int batch, int channels, int plane)
    {
        Batch = batch;
        Channels = channels;
        Plane = plane;
    }

    /// <summary>N, samples in the batch.</summary>
    public int Batch { get; }

    /// <summary>C, channels (or features), each with its own statistics, γ and β.</summary>
    public int Channels { get; }

    /// <summary>P, values per sample and channel (H·W, or 1 for features).</summary>
    public int Plane { get; }

    /// <summary>All values, N·C·P.</summary>
    public int Length => Batch * Channels * Plane;

    /// <summary>m = N·P, the values each channel's statistics are taken over.</summary>
    public int Count => Batch * Plane;

    /// <summary>
    /// The shape, checked: every size at least 1 and fewer than 2³¹ values in all, so the kernels'
    /// 32-bit indices cannot wrap.
    /// </summary>
    /// <exception cref="ArgumentException">A size is out of range; the message names it.</exception>
    public static BatchNormShape Create(int batch, int channels, int plane)
    {
        foreach (var (value, name) in new[] { (batch, nameof(batch)), (channels, nameof(channels)), (plane, nameof(plane)) })
            if (value < 1) throw new ArgumentException($"BatchNormShape: {name} must be at least 1 (got {value}).", name);
        if ((long)batch * channels * plane > int.MaxValue)
            throw new ArgumentException($"BatchNormShape: {(long)batch * channels * plane} values are more than a 32-bit index reaches.");
        return new BatchNormShape(batch, channels, plane);
    }
}
