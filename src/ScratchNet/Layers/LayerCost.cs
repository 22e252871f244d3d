namespace ScratchNet.Layers;

/// <summary>
/// What a layer will cost for one per-sample input shape, computed from its settings alone (nothing is
/// allocated): so that a model described by a file can be measured against the file's size and the
/// <see cref="Limits"/> before it is built. Counts saturate at <see cref="long.MaxValue"/> instead of
/// overflowing, so an absurd shape gives an absurd count, never a small one.
/// </summary>
/// <param name="StoredFloats">Parameters and buffers that building allocates and a model file must hold (float32 values).</param>
/// <param name="OutputFloats">Values of the layer's output per sample.</param>
/// <param name="MultiplyAdds">Multiply-adds (or comparable element operations) of the forward pass per sample.</param>
public readonly record struct LayerCost(long StoredFloats, long OutputFloats, long MultiplyAdds)
{
    /// <summary>a · b, or <see cref="long.MaxValue"/> when that overflows (both non-negative).</summary>
    public static long Times(long a, long b)
    {
        if (a < 0 || b < 0) throw new ArgumentOutOfRangeException(nameof(a), $"Counts cannot be negative ({a}, {b}).");
        return a == 0 || b <= long.MaxValue / a ? a * b : long.MaxValue;
    }

    /// <summary>a + b, or <see cref="long.MaxValue"/> when that overflows (both non-negative).</summary>
    public static long Plus(long a, long b) => a <= long.MaxValue - b ? a + b : long.MaxValue;

    /// <summary>The number of elements of <paramref name="shape"/> (saturating); a negative dimension is an error.</summary>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public static long Elements(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) has a negative dimension.");
            n = Times(n, d);
        }
        return n;
    }
}
