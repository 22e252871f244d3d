using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// RMSProp: the step is divided by a running root-mean-square of recent gradients.
/// <code>
/// s ← ρ s + (1 - ρ) ∇θ²
/// θ ← θ - η ∇θ / (√s + ε)
/// </code>
/// s starts at 0. ρ defaults to 0.9 (Hinton's lecture and Keras); PyTorch's default is 0.99
/// (its "alpha"). ε defaults to 1e-8, added outside the square root as PyTorch does.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly OptimizerSlots _slots;

    /// <summary>RMSProp with step size η, decay ρ in [0, 1) and guard ε.</summary>
    public RmsProp(float learningRate, float rho = 0.9f, float epsilon = 1e-8f) : base(learningRate)
    {
        if (!(rho >= 0 && rho < 1)) throw new ArgumentOutOfRangeException(nameof(rho), $"Rho must be in [0, 1) (got {rho}).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be >= 0 (got {epsilon}).");
        Rho = rho;
        Epsilon = epsilon;
        _slots = new OptimizerSlots(Name, "s");
    }

    /// <summary>ρ, the decay of the mean square.</summary>
    public float Rho { get; }

    /// <summary>ε, added to √s.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        _slots.Ensure(parameters);
        Tensor[] s = _slots[0];
        for (int p = 0; p < parameters.Count; p++)
            Update(parameters[p].Value.Span, parameters[p].Gradient.Span, s[p].Span, LearningRate, Rho, Epsilon);
        StepCount++;
    }

    private static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> s, float lr, float rho, float eps)
    {
        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float sr = ref MemoryMarshal.GetReference(s);
        int n = theta.Length, i = 0, w = Vector<float>.Count;
        float oneMinusRho = 1f - rho;
        var vlr = new Vector<float>(lr);
        var vrho = new Vector<float>(rho);
        var v1 = new Vector<float>(oneMinusRho);
        var veps = new Vector<float>(eps);
        for (; i <= n - w; i += w)
        {
            var vg = Vector.LoadUnsafe(ref gr, (nuint)i);
            var vs = vrho * Vector.LoadUnsafe(ref sr, (nuint)i) + v1 * (vg * vg);
            vs.StoreUnsafe(ref sr, (nuint)i);
            (Vector.LoadUnsafe(ref t, (nuint)i) - vlr * vg / (Vector.SquareRoot(vs) + veps)).StoreUnsafe(ref t, (nuint)i);
        }
        for (; i < n; i++)
        {
            float si = rho * s[i] + oneMinusRho * (g[i] * g[i]);
            s[i] = si;
            theta[i] -= lr * g[i] / (MathF.Sqrt(si) + eps);
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
    public override IReadOnlyDictionary<string, string> Settings => OptimizerSettings.With(base.Settings, ("rho", Rho), ("epsilon", Epsilon));
}
