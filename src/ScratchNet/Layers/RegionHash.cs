using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>Fingerprints for <see cref="IPiecewiseLayer"/>: FNV-1a over the pattern of x &gt; 0.</summary>
internal static class RegionHash
{
    public static ulong PositivePattern(Tensor? input)
    {
        if (input is null) return 0;
        ulong h = 14695981039346656037UL;
        ReadOnlySpan<float> x = input.Span;
        for (int i = 0; i < x.Length; i++)
            h = (h ^ (x[i] > 0f ? 1UL : 0UL)) * 1099511628211UL;
        return h;
    }
}
