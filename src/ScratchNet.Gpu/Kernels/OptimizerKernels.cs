using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// The optimizers' updates on a device, element-wise over all parameters held as one flat vector θ
/// with its gradient g, the formulas of <c>ScratchNet.Optimizers</c> (the scalars that depend on the
/// step are computed on the host in float, as the host's update rules compute them):
/// <code>
/// SGD        θ ← θ - η g
/// Momentum   v ← μ v + g;   θ ← θ - η v              (Nesterov: θ ← θ - η (g + μ v))
/// Adam       m ← β1 m + (1-β1) g;   v ← β2 v + (1-β2) g²
///            θ ← θ - (η/c1) m / (√v / √c2 + ε),   c1 = 1 - β1^t,  c2 = 1 - β2^t
/// AdamW      θ ← θ (1 - ηλ) first, for the parameters that decay (mask 1), then Adam's update
/// </code>
/// One thread per element: every element gets the same bits however the launch is cut.
/// </summary>
internal sealed class OptimizerKernels
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, float, int, int> _sgd;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int, int, int> _momentum;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamConstants, int, int> _adam;

    /// <summary>Adam's scalars for one step.</summary>
    internal struct AdamConstants
    {
        public float Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, StepSize, InvSqrtC2, Epsilon, Shrink;

        /// <summary>Step <paramref name="t"/>'s scalars, as <c>AdamUpdateRule</c> computes them; <paramref name="shrink"/> = 1 - ηλ (1: no decay).</summary>
        public static AdamConstants For(float learningRate, float beta1, float beta2, float epsilon, long t, float shrink) => new()
        {
            Beta1 = beta1, OneMinusBeta1 = 1f - beta1, Beta2 = beta2, OneMinusBeta2 = 1f - beta2,
            StepSize = learningRate / (1f - MathF.Pow(beta1, t)),
            InvSqrtC2 = 1f / MathF.Sqrt(1f - MathF.Pow(beta2, t)),
            Epsilon = epsilon, Shrink = shrink,
        };
    }

    /// <summary>Compiles the kernels for <paramref name="accelerator"/>.</summary>
    public OptimizerKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _sgd = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float, int, int>(SgdKernel);
        _momentum = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int, int, int>(MomentumKernel);
        _adam = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamConstants, int, int>(AdamKernel);
    }

    /// <summary>θ ← θ - η g over <paramref name="count"/> elements.</summary>
    public void Sgd(ArrayView<float> theta, ArrayView<float> gradient, int count, float learningRate)
    {
        Require(count, theta, gradient);
        if (count > 0) _sgd(Threads(count), theta, gradient, learningRate, count, Threads(count));
    }

    /// <summary>v ← μ v + g; θ ← θ - η v (or θ - η (g + μ v) for Nesterov) over <paramref name="count"/> elements.</summary>
    public void Momentum(ArrayView<float> theta, ArrayView<float> velocity, ArrayView<float> gradient, int count, float learningRate, float momentum, bool nesterov)
    {
        Require(count, theta, velocity, gradient);
        if (count > 0) _momentum(Threads(count), theta, velocity, gradient, learningRate, momentum, nesterov ? 1 : 0, count, Threads(count));
    }

    /// <summary>
    /// Adam's (or AdamW's) step over <paramref name="count"/> elements; θ is first multiplied by
    /// <see cref="AdamConstants.Shrink"/> where <paramref name="decays"/> is 1 (AdamW), left alone where it is 0.
    /// </summary>
    public void Adam(ArrayView<float> theta, ArrayView<float> m, ArrayView<float> v, ArrayView<float> gradient, ArrayView<float> decays, int count, AdamConstants constants)
    {
        Require(count, theta, m, v, gradient, decays);
        if (count > 0) _adam(Threads(count), theta, m, v, gradient, decays, constants, count, Threads(count));
    }

    private int Threads(int count) => Launch.Threads(_accelerator, count);

    private static void Require(int count, params ArrayView<float>[] views)
    {
        foreach (var view in views)
            if (view.Length < count) throw new ArgumentException($"Optimizer update: {count} elements, a view holds {view.Length}.");
    }

    private static void SgdKernel(Index1D index, ArrayView<float> theta, ArrayView<float> g, float lr, int count, int stride)
    {
        for (int i = index; i < count; i += stride) theta[i] = theta[i] - lr * g[i];
    }

    private static void MomentumKernel(Index1D index, ArrayView<float> theta, ArrayView<float> v, ArrayView<float> g, float lr, float mu, int nesterov, int count, int stride)
    {
        for (int i = index; i < count; i += stride) MomentumElement(i, theta, v, g, lr, mu, nesterov);
    }

    private static void MomentumElement(int i, ArrayView<float> theta, ArrayView<float> v, ArrayView<float> g, float lr, float mu, int nesterov)
    {
        float gi = g[i];
        float vi = mu * v[i] + gi;
        v[i] = vi;
        theta[i] = theta[i] - lr * (nesterov != 0 ? gi + mu * vi : vi);
    }

    private static void AdamKernel(Index1D index, ArrayView<float> theta, ArrayView<float> m, ArrayView<float> v, ArrayView<float> g, ArrayView<float> decays, AdamConstants k, int count, int stride)
    {
        for (int i = index; i < count; i += stride) AdamElement(i, theta, m, v, g, decays, k);
    }

    private static void AdamElement(int i, ArrayView<float> theta, ArrayView<float> m, ArrayView<float> v, ArrayView<float> g, ArrayView<float> decays, AdamConstants k)
    {
        float gi = g[i];
        float th = theta[i];
        if (decays[i] != 0f && k.Shrink != 1f) th *= k.Shrink;
        float mi = k.Beta1 * m[i] + k.OneMinusBeta1 * gi;
        float vi = k.Beta2 * v[i] + k.OneMinusBeta2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        theta[i] = th - k.StepSize * (mi / (MathF.Sqrt(vi) * k.InvSqrtC2 + k.Epsilon));
    }
}
