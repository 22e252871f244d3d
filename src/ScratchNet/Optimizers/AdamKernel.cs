using System.Numerics;
using System.Runtime.InteropServices;

namespace ScratchNet.Optimizers;

/// <summary>The Adam update of one parameter tensor, shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal static class AdamKernel
{
    /// <summary>
    /// m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²; θ -= (η / c1) m / (√v / √c2 + ε), where
    /// c1 = 1 - β1^t and c2 = 1 - β2^t are the bias corrections (PyTorch's arrangement of the same formula).
    /// </summary>
    public static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float lr, float beta1, float beta2, float eps, long t)
    {
        float c1 = 1f - MathF.Pow(beta1, t);
        float c2 = 1f - MathF.Pow(beta2, t);
        float stepSize = lr / c1;
        float invSqrtC2 = 1f / MathF.Sqrt(c2);
        float oneMinusB1 = 1f - beta1, oneMinusB2 = 1f - beta2;

        ref float tr = ref MemoryMarshal.GetReference(theta);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        int n = theta.Length, i = 0, w = Vector<float>.Count;
        var vb1 = new Vector<float>(beta1); var vb1c = new Vector<float>(oneMinusB1);
        var vb2 = new Vector<float>(beta2); var vb2c = new Vector<float>(oneMinusB2);
        var vstep = new Vector<float>(stepSize); var vinv = new Vector<float>(invSqrtC2);
        var veps = new Vector<float>(eps);
        for (; i <= n - w; i += w)
        {
            var vg = Vector.LoadUnsafe(ref gr, (nuint)i);
            var vm = vb1 * Vector.LoadUnsafe(ref mr, (nuint)i) + vb1c * vg;
            var vv = vb2 * Vector.LoadUnsafe(ref vr, (nuint)i) + vb2c * (vg * vg);
            vm.StoreUnsafe(ref mr, (nuint)i);
            vv.StoreUnsafe(ref vr, (nuint)i);
            var denom = Vector.SquareRoot(vv) * vinv + veps;
            (Vector.LoadUnsafe(ref tr, (nuint)i) - vstep * (vm / denom)).StoreUnsafe(ref tr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gi = g[i];
            float mi = beta1 * m[i] + oneMinusB1 * gi;
            float vi = beta2 * v[i] + oneMinusB2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            float denom = MathF.Sqrt(vi) * invSqrtC2 + eps;
            theta[i] -= stepSize * (mi / denom);
        }
    }

    /// <summary>θ ← θ (1 - η λ): decoupled weight decay.</summary>
    public static void Decay(Span<float> theta, float factor)
    {
        ref float tr = ref MemoryMarshal.GetReference(theta);
        int n = theta.Length, i = 0, w = Vector<float>.Count;
        var vf = new Vector<float>(factor);
        for (; i <= n - w; i += w) (Vector.LoadUnsafe(ref tr, (nuint)i) * vf).StoreUnsafe(ref tr, (nuint)i);
        for (; i < n; i++) theta[i] *= factor;
    }
}
