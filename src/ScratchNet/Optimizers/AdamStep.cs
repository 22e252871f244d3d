using ScratchNet.Layers;
using ScratchNet.Tensors;
using ScratchNet.Threading;

namespace ScratchNet.Optimizers;

/// <summary>
/// One Adam (or AdamW) step over all parameters, split across <see cref="Compute.Threads"/> threads.
/// The parameters are seen as one long vector cut into contiguous ranges, four per thread. The update
/// is element-wise, so every element gets the same bits whatever the cut: the result does not
/// depend on the thread count. Held by the optimizer and reused, so a step does not allocate.
/// </summary>
internal sealed class AdamStep : IPartitionedWork
{
    /// <summary>Below this many elements per thread a step stays on the calling thread (a hand-off costs microseconds).</summary>
    internal const int MinElementsPerThread = 16384;

    /// <summary>Range boundaries fall on multiples of this many elements (whole cache lines, whole vectors).</summary>
    private const int Granule = 64;

    private IReadOnlyList<Parameter> _parameters = [];
    private Tensor[] _m = [], _v = [];
    private AdamUpdateRule _rule;
    private float _shrink;
    private bool _decay;

    /// <summary>
    /// Applies <see cref="AdamUpdateRule"/> of step <paramref name="t"/> to every parameter p (with
    /// moments m[p], v[p]); when <paramref name="decayFactor"/> is below 1, first θ ← θ·decayFactor
    /// for parameters that decay (AdamW).
    /// </summary>
    public void Run(IReadOnlyList<Parameter> parameters, Tensor[] m, Tensor[] v, float lr, float beta1, float beta2, float eps, long t,
        float decayFactor = 1f, int threads = 0)
    {
        _parameters = parameters; _m = m; _v = v;
        _rule = new AdamUpdateRule(lr, beta1, beta2, eps, t);
        _shrink = decayFactor; _decay = decayFactor != 1f;
        long total = 0;
        for (int p = 0; p < parameters.Count; p++) total += parameters[p].Value.Length;
        if (threads <= 0) threads = Compute.Threads;
        int used = (int)Math.Clamp(total / MinElementsPerThread, 1, Math.Max(1, threads));
        // Four ranges per thread: a thread slowed down (a busy core) takes fewer of them.
        try { WorkerPool.Run(this, used == 1 ? 1 : 4 * used, used); }
        finally { _parameters = []; _m = []; _v = []; } // hold no references between steps
    }

    /// <summary>Updates elements [total·index/parts, total·(index+1)/parts) of the concatenated parameters (rounded to granules).</summary>
    public void RunPart(int index, int parts)
    {
        long total = 0;
        for (int p = 0; p < _parameters.Count; p++) total += _parameters[p].Value.Length;
        long granules = (total + Granule - 1) / Granule;
        long begin = Math.Min(total, granules * index / parts * Granule);
        long end = Math.Min(total, granules * (index + 1) / parts * Granule);
        long offset = 0;
        for (int p = 0; p < _parameters.Count && offset < end; p++)
        {
            var param = _parameters[p];
            int n = param.Value.Length;
            long lo = Math.Max(begin, offset), hi = Math.Min(end, offset + n);
            if (lo < hi)
            {
                int start = (int)(lo - offset), length = (int)(hi - lo);
                Span<float> theta = param.Value.Span.Slice(start, length);
                Vectorized.Update(_decay && param.Decays ? _rule.WithDecay(_shrink) : _rule, theta, _m[p].Span.Slice(start, length), _v[p].Span.Slice(start, length),
                    param.Gradient.Span.Slice(start, length));
            }
            offset += n;
        }
    }
}
