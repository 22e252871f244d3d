namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// The counter-based random numbers of the device dropout: a pure function of (seed, step, index), so
/// element i of step t gets the same draw on every device, every launch grouping and every thread count,
/// with no generator state to carry between steps.
/// </summary>
/// <remarks>
/// <c>h = mix(mix(mix(seed) ⊕ step) ⊕ index)</c>, where mix is SplitMix64's finaliser
/// (<c>z += 0x9E3779B97F4A7C15; z = (z ⊕ z≫30)·0xBF58476D1CE4E5B9; z = (z ⊕ z≫27)·0x94D049BB133111EB; z ⊕ z≫31</c>),
/// a bijection of 64-bit words whose output bits each depend on every input bit. The uniform draw is
/// <c>u = (h ≫ 40) · 2⁻²⁴</c> in [0, 1), 24 bits as the CPU's <c>Rng.NextFloat</c>. Plain C# with no ILGPU
/// types: the kernels and the host call the same code.
/// </remarks>
public static class DropoutHash
{
    /// <summary>SplitMix64's finaliser of <paramref name="z"/> (see the remarks).</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary><c>mix(mix(mix(seed) ⊕ step) ⊕ index)</c>: the 64 random bits of element <paramref name="index"/> at <paramref name="step"/>.</summary>
    public static ulong Bits(ulong seed, ulong step, ulong index) => Mix(Mix(Mix(seed) ^ step) ^ index);

    /// <summary><c>u = (Bits ≫ 40) · 2⁻²⁴</c>, uniform in [0, 1).</summary>
    public static float Uniform(ulong seed, ulong step, ulong index) => (Bits(seed, step, index) >> 40) * (1.0f / (1 << 24));

    /// <summary>
    /// The mask value of inverted dropout with drop rate p: <c>m = 0</c> when <c>u &lt; p</c>, else <c>1 / (1 − p)</c>
    /// (<paramref name="keepScale"/>), so E[m] = 1.
    /// </summary>
    public static float Mask(ulong seed, ulong step, ulong index, float rate, float keepScale) =>
        Uniform(seed, step, index) < rate ? 0f : keepScale;
}
