using ScratchNet.Tensors;

namespace ScratchNet.Tests.Gpu;

/// <summary>Comparisons and random inputs for the device-kernel tests.</summary>
internal static class GpuAssert
{
    /// <summary>
    /// Every value within <paramref name="tolerance"/> of the expected one, relative to the largest expected
    /// magnitude (at least 1): the kernels and the CPU add their float terms in different orders, so the
    /// error scales with the sums, not with each entry.
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, float[] actual, string what, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1;
        foreach (float v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * scale))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance * scale:G3})");
    }

    /// <summary>A tensor of the shape with values uniform in [-1, 1).</summary>
    public static Tensor Random(Rng rng, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t[i] = rng.NextUniform(-1f, 1f);
        return t;
    }
}
