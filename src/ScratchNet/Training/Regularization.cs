using System.Runtime.Intrinsics;
using ScratchNet.Layers;
using ScratchNet.Tensors;

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
            if (L1 != 0) total += L1 * (double)TensorMath.SumOfMagnitudes(p.Value.Span);
            if (L2 != 0) total += 0.5 * L2 * TensorMath.SumOfSquares(p.Value.Span);
        }
        return total;
    }

    /// <summary>Adds λ₁ sign(θ) + λ₂ θ to each decaying parameter's gradient.</summary>
    public void AddPenaltyGradients(IReadOnlyList<Parameter> parameters)
    {
        if (L1 == 0 && L2 == 0) return;
        var rule = new PenaltyGradient(L1, L2);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!parameters[i].Decays) continue;
            var g = parameters[i].Gradient.Span;
            Vectorized.Transform(rule, g, parameters[i].Value.Span, g);
        }
    }

    /// <summary>θ ← θ(1 - η λ) for decaying parameters.</summary>
    public void ApplyDecoupledDecay(IReadOnlyList<Parameter> parameters, float learningRate)
    {
        if (DecoupledWeightDecay == 0) return;
        float factor = 1f - learningRate * DecoupledWeightDecay;
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Decays) TensorMath.Scale(parameters[i].Value.Span, factor, parameters[i].Value.Span);
    }

    /// <summary>g + λ₁ sign(θ) + λ₂ θ, with sign(0) = 0 (and 0 for NaN).</summary>
    internal readonly struct PenaltyGradient(float l1, float l2) : IBinaryOperator
    {
        private readonly float _l1 = l1, _l2 = l2;

        public float Invoke(float g, float theta) => g + (theta > 0f ? _l1 : theta < 0f ? -_l1 : 0f) + _l2 * theta;

        public Vector512<float> Invoke(Vector512<float> g, Vector512<float> theta)
        {
            var l1 = Vector512.Create(_l1);
            var sign = Vector512.ConditionalSelect(Vector512.GreaterThan(theta, Vector512<float>.Zero), l1,
                Vector512.ConditionalSelect(Vector512.LessThan(theta, Vector512<float>.Zero), -l1, Vector512<float>.Zero));
            return g + sign + Vector512.Create(_l2) * theta;
        }

        public Vector256<float> Invoke(Vector256<float> g, Vector256<float> theta)
        {
            var l1 = Vector256.Create(_l1);
            var sign = Vector256.ConditionalSelect(Vector256.GreaterThan(theta, Vector256<float>.Zero), l1,
                Vector256.ConditionalSelect(Vector256.LessThan(theta, Vector256<float>.Zero), -l1, Vector256<float>.Zero));
            return g + sign + Vector256.Create(_l2) * theta;
        }

        public Vector128<float> Invoke(Vector128<float> g, Vector128<float> theta)
        {
            var l1 = Vector128.Create(_l1);
            var sign = Vector128.ConditionalSelect(Vector128.GreaterThan(theta, Vector128<float>.Zero), l1,
                Vector128.ConditionalSelect(Vector128.LessThan(theta, Vector128<float>.Zero), -l1, Vector128<float>.Zero));
            return g + sign + Vector128.Create(_l2) * theta;
        }
    }
}
