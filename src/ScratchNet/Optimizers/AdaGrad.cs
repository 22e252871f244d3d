using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// AdaGrad: each parameter's step shrinks with the sum of its squared gradients so far.
/// <code>
/// G ← G + ∇θ²
/// θ ← θ - η ∇θ / (√G + ε)
/// </code>
/// G starts at 0; ε (default 1e-10, as PyTorch) only guards the division.
/// </summary>
public sealed class AdaGrad : Optimizer
{
    private readonly OptimizerSlots _slots;

    /// <summary>AdaGrad with step size η and guard ε.</summary>
    public AdaGrad(float learningRate, float epsilon = 1e-10f) : base(learningRate)
    {
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be >= 0 (got {epsilon}).");
        Epsilon = epsilon;
        _slots = new OptimizerSlots(Name, "sum");
    }

    /// <summary>ε, added to √G.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        _slots.Ensure(parameters);
        Tensor[] sum = _slots[0];
        for (int p = 0; p < parameters.Count; p++)
            Update(parameters[p].Value.Span, parameters[p].Gradient.Span, sum[p].Span, LearningRate, Epsilon);
        StepCount++;
    }

    private static void Update(Span<float> theta, ReadOnlySpan<float> g, Span<float> sum, float lr, float eps)
    {
        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float sr = ref MemoryMarshal.GetReference(sum);
        int n = theta.Length, i = 0, w = Vector<float>.Count;
        var vlr = new Vector<float>(lr);
        var veps = new Vector<float>(eps);
        for (; i <= n - w; i += w)
        {
            var vg = Vector.LoadUnsafe(ref gr, (nuint)i);
            var vs = Vector.LoadUnsafe(ref sr, (nuint)i) + vg * vg;
            vs.StoreUnsafe(ref sr, (nuint)i);
            (Vector.LoadUnsafe(ref t, (nuint)i) - vlr * vg / (Vector.SquareRoot(vs) + veps)).StoreUnsafe(ref t, (nuint)i);
        }
        for (; i < n; i++)
        {
            float s = sum[i] + g[i] * g[i];
            sum[i] = s;
            theta[i] -= lr * g[i] / (MathF.Sqrt(s) + eps);
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
    public override IReadOnlyDictionary<string, string> Settings => OptimizerSettings.With(base.Settings, ("epsilon", Epsilon));
}
