using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Nesterov accelerated gradient in PyTorch's formulation (SGD with nesterov=True):
/// <code>
/// v ← μ v + ∇θ
/// θ ← θ - η (∇θ + μ v)
/// </code>
/// The look-ahead is folded into the update, so the gradient is taken at the stored θ.
/// </summary>
public sealed class Nesterov : Optimizer
{
    private readonly OptimizerSlots _slots;

    /// <summary>Nesterov momentum with step size η and coefficient μ in [0, 1).</summary>
    public Nesterov(float learningRate, float momentum = 0.9f) : base(learningRate)
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
            Momentum.Update(parameters[p].Value.Span, parameters[p].Gradient.Span, v[p].Span, LearningRate, MomentumCoefficient, nesterov: true);
        StepCount++;
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
