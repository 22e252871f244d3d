using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay. Before the Adam step,
/// parameters with <see cref="Parameter.Decays"/> shrink towards zero independently of the gradient:
/// <code>
/// θ ← θ - η λ θ            (only weights with Decays; biases are left alone)
/// θ ← Adam step (see <see cref="Adam"/>)
/// </code>
/// Unlike an L2 penalty, the decay is not divided by √v̂, so every weight decays at the same rate.
/// Defaults as PyTorch: η = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0.01.
/// </summary>
public sealed class AdamW : StatefulOptimizer
{
    private readonly AdamStep _step = new(); // decay and update, split over Compute.Threads

    /// <summary>AdamW with step size η, moment decays β1, β2, guard ε and weight decay λ &gt;= 0.</summary>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f) : base(learningRate, "m", "v")
    {
        AdamChecks.Validate(beta1, beta2, epsilon);
        if (!(weightDecay >= 0) || float.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must be a number >= 0 (got {weightDecay}).");
        Beta1 = beta1; Beta2 = beta2; Epsilon = epsilon; WeightDecay = weightDecay;
    }

    /// <summary>β1, the decay of the first moment m.</summary>
    public float Beta1 { get; }

    /// <summary>β2, the decay of the second moment v.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to √v̂.</summary>
    public float Epsilon { get; }

    /// <summary>λ, the decoupled weight decay per unit of learning rate.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override bool IsNonNegative(int slot) => slot == 1;

    /// <inheritdoc/>
    protected override void Update(IReadOnlyList<Parameter> parameters, long t)
    {
        float shrink = WeightDecay > 0 ? 1f - LearningRate * WeightDecay : 1f;
        _step.Run(parameters, Slot(0), Slot(1), LearningRate, Beta1, Beta2, Epsilon, t, shrink);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        OptimizerSettings.With(base.Settings, ("beta1", Beta1), ("beta2", Beta2), ("epsilon", Epsilon), ("weight_decay", WeightDecay));
}
