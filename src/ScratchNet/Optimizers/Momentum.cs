using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, in PyTorch's convention (the learning rate outside
/// the velocity):
/// <code>
/// v ← μ v + ∇θ
/// θ ← θ - η v
/// </code>
/// v starts at 0, so the first step equals plain SGD. (The other common convention, v ← μv + η∇θ,
/// θ ← θ - v, gives the same path for a constant η but differs when a schedule changes η.)
/// </summary>
public sealed class Momentum : Optimizer
{
    private readonly OptimizerSlots _slots;

    /// <summary>Momentum with step size η = <paramref name="learningRate"/> and coefficient μ = <paramref name="momentum"/> in [0, 1).</summary>
    public Momentum(float learningRate, float momentum = 0.9f) : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be in [0, 1) (got {momentum}).");
        MomentumCoefficient = momentum;
        _slots = new OptimizerSlots(Name, "v");
    }

    /// <summary>μ, the fraction of the velocity kept at each step.</summary>
    public float MomentumCoefficient { get; }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        _slots.Ensure(parameters);
        Tensor[] v = _slots[0];
        for (int p = 0; p < parameters.Count; p++)
            Update(parameters[p].Value.Span, parameters[p].Gradient.Span, v[p].Span, LearningRate, MomentumCoefficient, nesterov: false);
        StepCount++;
    }

    /// <summary>
    /// v = μv + g; then θ -= η v (heavy ball) or θ -= η (g + μv) (Nesterov, PyTorch's form).
    /// </summary>
    internal static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> v, float lr, float mu, bool nesterov)
    {
        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float vr = ref MemoryMarshal.GetReference(v);
        int n = theta.Length, i = 0, w = Vector<float>.Count;
        var vlr = new Vector<float>(lr);
        var vmu = new Vector<float>(mu);
        for (; i <= n - w; i += w)
        {
            var vg = Vector.LoadUnsafe(ref gr, (nuint)i);
            var vv = vmu * Vector.LoadUnsafe(ref vr, (nuint)i) + vg;
            vv.StoreUnsafe(ref vr, (nuint)i);
            var step = nesterov ? vg + vmu * vv : vv;
            (Vector.LoadUnsafe(ref t, (nuint)i) - vlr * step).StoreUnsafe(ref t, (nuint)i);
        }
        for (; i < n; i++)
        {
            float vi = mu * v[i] + g[i];
            v[i] = vi;
            float step = nesterov ? g[i] + mu * vi : vi;
            theta[i] -= lr * step;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Value)> GetState() => _slots.GetState();

    /// <inheritdoc/>
    public override void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        _slots.SetState(state);
        StepCount = stepCount;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings => OptimizerSettings.With(base.Settings, ("momentum", MomentumCoefficient));
}
