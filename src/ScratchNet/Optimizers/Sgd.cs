using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Layers;

namespace ScratchNet.Optimizers;

/// <summary>
/// Plain (stochastic) gradient descent: θ ← θ - η ∇θ. With the batch size equal to the dataset size
/// this is full-batch gradient descent. It keeps no state.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Gradient descent with step size <paramref name="learningRate"/> (η).</summary>
    public Sgd(float learningRate) : base(learningRate) { }

    /// <inheritdoc/>
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        float lr = LearningRate;
        for (int i = 0; i < parameters.Count; i++) Update(parameters[i].Value.Span, parameters[i].Gradient.Span, lr);
        StepCount++;
    }

    /// <summary>θ[i] -= η g[i], vector prefix, scalar remainder.</summary>
    internal static void Update(Span<float> theta, ReadOnlySpan<float> g, float lr)
    {
        ref float t = ref MemoryMarshal.GetReference(theta);
        ref float gr = ref MemoryMarshal.GetReference(g);
        int n = theta.Length, i = 0, w = Vector<float>.Count;
        var vlr = new Vector<float>(lr);
        for (; i <= n - w; i += w)
        {
            var vt = Vector.LoadUnsafe(ref t, (nuint)i);
            var vg = Vector.LoadUnsafe(ref gr, (nuint)i);
            (vt - vlr * vg).StoreUnsafe(ref t, (nuint)i);
        }
        for (; i < n; i++) theta[i] -= lr * g[i];
    }
}
