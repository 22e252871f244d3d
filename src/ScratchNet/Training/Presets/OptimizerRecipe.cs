using ScratchNet.Optimizers;

namespace ScratchNet.Training.Presets;

/// <summary>
/// The optimizer of a recipe by <see cref="OptimizerFactory"/> name, with η₀, its base learning rate
/// (the schedule takes η from there), and the settings that name takes.
/// </summary>
public sealed record OptimizerRecipe
{
    /// <summary>sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw.</summary>
    public required string Name { get; init; }

    /// <summary>η₀, the base learning rate.</summary>
    public required double LearningRate { get; init; }

    /// <summary>μ for momentum and nesterov (null: 0.9).</summary>
    public double? Momentum { get; init; }

    /// <summary>λ, AdamW's own decoupled weight decay (null: 0.01).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>β₂ of adam and adamw, the decay of the squared-gradient average (null: 0.999).</summary>
    public double? Beta2 { get; init; }

    /// <summary>β₁ of adam and adamw, the decay of the gradient average (null: 0.9; GANs train with 0.5).</summary>
    public double? Beta1 { get; init; }

    /// <summary>Checks the name and the settings.</summary>
    /// <exception cref="ArgumentException">An unknown name, a rate that is not a positive number, or a setting the optimizer does not take.</exception>
    public void Validate() => Create();

    /// <summary>A new optimizer.</summary>
    public Optimizer Create()
    {
        if (!(LearningRate > 0) || !float.IsFinite((float)LearningRate))
            throw new ArgumentException($"The learning rate must be a positive number (got {LearningRate}).");
        if (!TextExcerpt.IsName(Name)) throw new ArgumentException($"The optimizer is not a name: '{TextExcerpt.Of(Name)}'.");
        return OptimizerFactory.Create(Name, (float)LearningRate, (float?)Momentum, (float?)WeightDecay, (float?)Beta2, (float?)Beta1);
    }
}
