using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015): momentum on the gradient and on its square, with bias correction.
/// At step t = 1, 2, ...:
/// <code>
/// m ← β1 m + (1 - β1) ∇θ
/// v ← β2 v + (1 - β2) ∇θ²
/// m̂ = m / (1 - β1^t),  v̂ = v / (1 - β2^t)
/// θ ← θ - η m̂ / (√v̂ + ε)
/// </code>
/// m and v start at 0. Defaults η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8.
/// </summary>
public sealed class Adam : StatefulOptimizer
{
    private readonly AdamStep _step = new(); // the update, split over Compute.Threads

    /// <summary>Adam with step size η, moment decays β1, β2 in [0, 1) and guard ε.</summary>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) : base(learningRate, "m", "v")
    {
        AdamChecks.Validate(beta1, beta2, epsilon);
        Beta1 = beta1; Beta2 = beta2; Epsilon = epsilon;
    }

    /// <summary>β1, the decay of the first moment m.</summary>
    public float Beta1 { get; }

    /// <summary>β2, the decay of the second moment v.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to √v̂.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override bool IsNonNegative(int slot) => slot == 1;

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Parameter> parameters, long t) =>
        _step.Run(parameters, Slot(0), Slot(1), LearningRate, Beta1, Beta2, Epsilon, t);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        OptimizerSettings.With(base.Settings, ("beta1", Beta1), ("beta2", Beta2), ("epsilon", Epsilon));
}
