using System.Runtime.Intrinsics;
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
public sealed class RmsProp : StatefulOptimizer
{
    /// <summary>RMSProp with step size η, decay ρ in [0, 1) and guard ε.</summary>
    public RmsProp(float learningRate, float rho = 0.9f, float epsilon = 1e-8f) : base(learningRate, "s")
    {
        if (!(rho >= 0 && rho < 1)) throw new ArgumentOutOfRangeException(nameof(rho), $"Rho must be in [0, 1) (got {rho}).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be >= 0 (got {epsilon}).");
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary>ρ, the decay of the mean square.</summary>
    public float Rho { get; }

    /// <summary>ε, added to √s.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override bool IsNonNegative(int slot) => slot == 0;

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Parameter> parameters, long t)
    {
        var rule = new UpdateRule(LearningRate, Rho, Epsilon);
        Tensor[] s = Slot(0);
        for (int p = 0; p < parameters.Count; p++)
            Vectorized.Update(rule, parameters[p].Value.Span, s[p].Span, parameters[p].Gradient.Span);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings => OptimizerSettings.With(base.Settings, ("rho", Rho), ("epsilon", Epsilon));

    /// <summary>s ← ρ s + (1 − ρ) g²; θ ← θ − η g / (√s + ε).</summary>
    internal readonly struct UpdateRule(float learningRate, float rho, float epsilon) : IUpdate2Operator
    {
        private readonly float _lr = learningRate, _rho = rho, _oneMinusRho = 1f - rho, _eps = epsilon;

        public void Invoke(ref float theta, ref float s, float g)
        {
            s = _rho * s + _oneMinusRho * (g * g);
            theta -= _lr * g / (MathF.Sqrt(s) + _eps);
        }

        public void Invoke(ref Vector512<float> theta, ref Vector512<float> s, Vector512<float> g)
        {
            s = Vector512.Create(_rho) * s + Vector512.Create(_oneMinusRho) * (g * g);
            theta -= Vector512.Create(_lr) * g / (Vector512.Sqrt(s) + Vector512.Create(_eps));
        }

        public void Invoke(ref Vector256<float> theta, ref Vector256<float> s, Vector256<float> g)
        {
            s = Vector256.Create(_rho) * s + Vector256.Create(_oneMinusRho) * (g * g);
            theta -= Vector256.Create(_lr) * g / (Vector256.Sqrt(s) + Vector256.Create(_eps));
        }

        public void Invoke(ref Vector128<float> theta, ref Vector128<float> s, Vector128<float> g)
        {
            s = Vector128.Create(_rho) * s + Vector128.Create(_oneMinusRho) * (g * g);
            theta -= Vector128.Create(_lr) * g / (Vector128.Sqrt(s) + Vector128.Create(_eps));
        }
    }
}
