using System.Numerics;
using System.Runtime.InteropServices;
using ScratchNet.Layers;
using System.Numerics.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// Weight penalties on the parameters whose <see cref="Parameter.Decays"/> is true (weights, not biases).
/// <code>
/// L1:  loss += λ₁ Σ|θ|         ∇θ += λ₁ sign(θ)
/// L2:  loss += (λ₂/2) Σθ²      ∇θ += λ₂ θ
/// decoupled decay:  θ ← θ (1 - η λ)  before the optimizer step, outside the gradient
/// </code>
/// With plain SGD, L2 and decoupled decay are the same thing; with adaptive optimizers (Adam) they differ,
/// which is why AdamW exists. The penalties are added to the reported training loss.
/// </summary>
public sealed class Regularization
{
    // Loops index the list: foreach over an IReadOnlyList boxes its enumerator, and a training step must not allocate.
    /// <summary>λ₁, the L1 coefficient (0 = off).</summary>
    public float L1 { get; init; }

    /// <summary>λ₂, the L2 coefficient (0 = off). The penalty is (λ₂/2) Σθ², so its gradient is λ₂ θ.</summary>
    public float L2 { get; init; }

    /// <summary>λ of decoupled weight decay, θ ← θ(1 - ηλ), for any optimizer (0 = off).</summary>
    public float DecoupledWeightDecay { get; init; }

    /// <summary>True when nothing is switched on.</summary>
    public bool IsEmpty => L1 == 0 && L2 == 0 && DecoupledWeightDecay == 0;

    internal void Validate()
    {
        if (!(L1 >= 0) || float.IsInfinity(L1)) throw new ArgumentOutOfRangeException(nameof(L1), $"The L1 coefficient must be a number >= 0 (got {L1}).");
        if (!(L2 >= 0) || float.IsInfinity(L2)) throw new ArgumentOutOfRangeException(nameof(L2), $"The L2 coefficient must be a number >= 0 (got {L2}).");
        if (!(DecoupledWeightDecay >= 0) || float.IsInfinity(DecoupledWeightDecay))
            throw new ArgumentOutOfRangeException(nameof(DecoupledWeightDecay), $"The weight decay must be a number >= 0 (got {DecoupledWeightDecay}).");
    }

    /// <summary>The penalty λ₁ Σ|θ| + (λ₂/2) Σθ² over decaying parameters.</summary>
    public double Penalty(IReadOnlyList<Parameter> parameters)
    {
        if (L1 == 0 && L2 == 0) return 0;
        double total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Decays) continue;
            if (L1 != 0) total += L1 * (double)TensorPrimitives.SumOfMagnitudes(p.Value.Span);
            if (L2 != 0) total += 0.5 * L2 * TensorPrimitives.SumOfSquares(p.Value.Span);
        }
        return total;
    }

    /// <summary>Adds λ₁ sign(θ) + λ₂ θ to each decaying parameter's gradient.</summary>
    public void AddPenaltyGradients(IReadOnlyList<Parameter> parameters)
    {
        if (L1 == 0 && L2 == 0) return;
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Decays) AddGradient(parameters[i].Gradient.Span, parameters[i].Value.Span, L1, L2);
    }

    /// <summary>θ ← θ(1 - η λ) for decaying parameters.</summary>
    public void ApplyDecoupledDecay(IReadOnlyList<Parameter> parameters, float learningRate)
    {
        if (DecoupledWeightDecay == 0) return;
        float factor = 1f - learningRate * DecoupledWeightDecay;
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Decays) TensorPrimitives.Multiply(parameters[i].Value.Span, factor, parameters[i].Value.Span);
    }

    private static void AddGradient(Span<float> grad, ReadOnlySpan<float> theta, float l1, float l2)
    {
        ref float g = ref MemoryMarshal.GetReference(grad);
        ref float t = ref MemoryMarshal.GetReference(theta);
        int n = grad.Length, i = 0, w = Vector<float>.Count;
        var vl1 = new Vector<float>(l1); var vl2 = new Vector<float>(l2);
        var zero = Vector<float>.Zero;
        for (; i <= n - w; i += w)
        {
            var vt = Vector.LoadUnsafe(ref t, (nuint)i);
            // sign(θ)·λ₁: +λ₁ where θ > 0, -λ₁ where θ < 0, 0 at 0.
            var sign = Vector.ConditionalSelect(Vector.GreaterThan(vt, zero), vl1, zero)
                     - Vector.ConditionalSelect(Vector.LessThan(vt, zero), vl1, zero);
            (Vector.LoadUnsafe(ref g, (nuint)i) + sign + vl2 * vt).StoreUnsafe(ref g, (nuint)i);
        }
        for (; i < n; i++)
        {
            float ti = theta[i];
            float sign = ti > 0 ? l1 : (ti < 0 ? -l1 : 0f);
            grad[i] = grad[i] + sign + l2 * ti;
        }
    }
}
