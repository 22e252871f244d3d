using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// What the trainer does to the flat gradient g and parameters θ between the backward pass and the
/// optimizer's update, on a device, with the formulas of <c>Regularization</c> and <c>GradientClipping</c>
/// (mask m = 1 for the parameters that decay, weights, 0 for biases and batch norm's γ and β):
/// <code>
/// penalty    P = λ₁ Σ m|θ| + (λ₂/2) Σ m θ²                        added to the step's reported loss
/// gradient   g ← g + m (λ₁ sign(θ) + λ₂ θ)                         sign(0) = 0
/// decay      θ ← θ (1 − ηλ) where m = 1                             decoupled weight decay
/// clip       ‖g‖ = √(Σ g²),  s = c / (‖g‖ + 10⁻⁶),  g ← s g if s &lt; 1 and ‖g‖ is finite
/// </code>
/// </summary>
/// <remarks>
/// The sums are taken without atomics in a fixed order, in double: the vector is cut into
/// <see cref="Chunks"/> consecutive pieces, one thread sums each piece in order, then one thread adds the
/// pieces' sums in order. The cut does not depend on the device, so the bits are the same on every run.
/// The scale s stays on the device (nothing is read back inside a step).
/// </remarks>
internal sealed class GradientKernels : IDisposable
{
    /// <summary>The pieces a sum over the whole vector is cut into.</summary>
    public const int Chunks = 1024;

    /// <summary>PyTorch's guard added to ‖g‖ before dividing, as <c>GradientClipping.Guard</c>.</summary>
    private const double Guard = 1e-6;

    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<double>, ArrayView<double>> _partialSums;
    private readonly Action<Index1D, ArrayView<double>, ArrayView<double>, float, float, ArrayView<double>> _penalty;
    private readonly Action<Index1D, ArrayView<double>, float, ArrayView<float>> _clipScale;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int, int> _penaltyGradient;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, float, int, int> _decay;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int> _scale;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _absSums, _squareSums;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _clip;

    /// <summary>Compiles the kernels for <paramref name="accelerator"/> and allocates their scratch (2 · <see cref="Chunks"/> doubles).</summary>
    public GradientKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _partialSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<double>, ArrayView<double>>(PartialSumsKernel);
        _penalty = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, float, float, ArrayView<double>>(PenaltyKernel);
        _clipScale = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, float, ArrayView<float>>(ClipScaleKernel);
        _penaltyGradient = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int, int>(PenaltyGradientKernel);
        _decay = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float, int, int>(DecayKernel);
        _scale = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(ScaleKernel);
        _absSums = accelerator.Allocate1D<double>(Chunks);
        _squareSums = accelerator.Allocate1D<double>(Chunks);
        _clip = accelerator.Allocate1D<float>(1);
    }

    /// <summary><paramref name="penalty"/>[0] = λ₁ Σ m|θ| + (λ₂/2) Σ m θ² over <paramref name="count"/> elements.</summary>
    public void Penalty(ArrayView<float> theta, ArrayView<float> mask, int count, float l1, float l2, ArrayView<double> penalty)
    {
        _partialSums(Chunks, theta, mask, count, ChunkLength(count), 1, _absSums.View, _squareSums.View);
        _penalty(1, _absSums.View, _squareSums.View, l1, l2, penalty);
    }

    /// <summary>g ← g + m (λ₁ sign(θ) + λ₂ θ) over <paramref name="count"/> elements.</summary>
    public void AddPenaltyGradient(ArrayView<float> gradient, ArrayView<float> theta, ArrayView<float> mask, int count, float l1, float l2)
    {
        if (count > 0) _penaltyGradient(Threads(count), gradient, theta, mask, l1, l2, count, Threads(count));
    }

    /// <summary>θ ← θ·<paramref name="factor"/> where m = 1, over <paramref name="count"/> elements.</summary>
    public void Decay(ArrayView<float> theta, ArrayView<float> mask, int count, float factor)
    {
        if (count > 0) _decay(Threads(count), theta, mask, factor, count, Threads(count));
    }

    /// <summary>g ← s g with s = c / (‖g‖ + 10⁻⁶) when s &lt; 1 and ‖g‖ is finite, over <paramref name="count"/> elements.</summary>
    public void ClipByGlobalNorm(ArrayView<float> gradient, int count, float maxNorm)
    {
        _partialSums(Chunks, gradient, gradient, count, ChunkLength(count), 0, _absSums.View, _squareSums.View);
        _clipScale(1, _squareSums.View, maxNorm, _clip.View);
        if (count > 0) _scale(Threads(count), gradient, _clip.View, count, Threads(count));
    }

    private int Threads(int count) => Launch.Threads(_accelerator, count);

    private static int ChunkLength(int count) => (int)(((long)count + Chunks - 1) / Chunks);

    // Thread k: Σ |v| and Σ v² over [k·L, (k+1)·L) ∩ [0, count), where the mask is not 0 (every element when masked is 0).
    private static void PartialSumsKernel(Index1D k, ArrayView<float> v, ArrayView<float> mask, int count, int length, int masked, ArrayView<double> abs, ArrayView<double> squares)
    {
        long start = (long)(int)k * length, end = Math.Min(start + length, count);
        double a = 0, s = 0;
        for (long i = start; i < end; i++)
        {
            if (masked != 0 && mask[i] == 0f) continue;
            double x = v[i];
            a += Math.Abs(x);
            s += x * x;
        }
        abs[k] = a;
        squares[k] = s;
    }

    private static void PenaltyKernel(Index1D index, ArrayView<double> abs, ArrayView<double> squares, float l1, float l2, ArrayView<double> penalty)
    {
        double a = 0, s = 0;
        for (int k = 0; k < Chunks; k++) { a += abs[k]; s += squares[k]; }
        penalty[0] = l1 * a + 0.5 * l2 * s;
    }

    private static void ClipScaleKernel(Index1D index, ArrayView<double> squares, float maxNorm, ArrayView<float> scale)
    {
        double s = 0;
        for (int k = 0; k < Chunks; k++) s += squares[k];
        double norm = Math.Sqrt(s);
        double factor = maxNorm / (norm + Guard);
        scale[0] = norm - norm == 0 && factor < 1 ? (float)factor : 1f; // norm − norm is 0 only for a finite norm
    }

    private static void PenaltyGradientKernel(Index1D index, ArrayView<float> g, ArrayView<float> theta, ArrayView<float> mask, float l1, float l2, int count, int stride)
    {
        for (int i = index; i < count; i += stride)
        {
            if (mask[i] == 0f) continue;
            float t = theta[i];
            g[i] = g[i] + (t > 0f ? l1 : t < 0f ? -l1 : 0f) + l2 * t;
        }
    }

    private static void DecayKernel(Index1D index, ArrayView<float> theta, ArrayView<float> mask, float factor, int count, int stride)
    {
        for (int i = index; i < count; i += stride)
            if (mask[i] != 0f) theta[i] *= factor;
    }

    private static void ScaleKernel(Index1D index, ArrayView<float> g, ArrayView<float> scale, int count, int stride)
    {
        float s = scale[0];
        if (s == 1f) return;
        for (int i = index; i < count; i += stride) g[i] *= s;
    }

    /// <summary>Frees the scratch.</summary>
    public void Dispose()
    {
        _absSums.Dispose();
        _squareSums.Dispose();
        _clip.Dispose();
    }
}
