using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// The two optimizers of a GAN, one for the generator's parameters and one for the discriminator's,
/// each with its own state. One training step takes one update of each, the discriminator's first:
/// <code>
/// θ_D ← update_D(θ_D, ∇θ_D L_D, η)      (<see cref="StepDiscriminator"/>)
/// θ_G ← update_G(θ_G, ∇θ_G L_G, η)      (<see cref="StepGenerator"/>)
/// </code>
/// η is <see cref="Optimizer.LearningRate"/> (the schedule's) for both; <see cref="Optimizer.StepCount"/>
/// counts the generator's updates, one per training step. Checkpoints keep both states, as
/// "generator.p{i}.{slot}" and "discriminator.p{i}.{slot}".
/// </summary>
public sealed class AdversarialOptimizer : Optimizer
{
    /// <summary>Prefix of the generator's state tensors.</summary>
    public const string GeneratorPrefix = "generator.";

    /// <summary>Prefix of the discriminator's state tensors.</summary>
    public const string DiscriminatorPrefix = "discriminator.";

    /// <summary>A pair of two distinct optimizers; η starts at the generator's rate.</summary>
    /// <exception cref="ArgumentException">The same optimizer twice: the two must keep separate state.</exception>
    public AdversarialOptimizer(Optimizer generator, Optimizer discriminator) : base(Checked(generator, discriminator).LearningRate)
    {
        Generator = generator;
        Discriminator = discriminator;
    }

    private static Optimizer Checked(Optimizer generator, Optimizer discriminator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        if (ReferenceEquals(generator, discriminator) || generator is AdversarialOptimizer || discriminator is AdversarialOptimizer)
            throw new ArgumentException("A GAN's generator and discriminator need two distinct optimizers of their own.");
        return generator;
    }

    /// <summary>The generator's optimizer.</summary>
    public Optimizer Generator { get; }

    /// <summary>The discriminator's optimizer.</summary>
    public Optimizer Discriminator { get; }

    /// <summary>"Adversarial(Adam, Adam)": the generator's, then the discriminator's.</summary>
    public override string Name => $"Adversarial({Generator.Name}, {Discriminator.Name})";

    /// <summary>Not used: a GAN's two updates are taken apart, by <see cref="StepDiscriminator"/> and <see cref="StepGenerator"/>.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Step(IReadOnlyList<Parameter> parameters) =>
        throw new InvalidOperationException("An AdversarialOptimizer updates the discriminator and the generator apart: call StepDiscriminator and StepGenerator.");

    /// <summary>One update of the discriminator's parameters at η = <see cref="Optimizer.LearningRate"/>.</summary>
    public void StepDiscriminator(IReadOnlyList<Parameter> parameters)
    {
        Discriminator.LearningRate = LearningRate;
        Discriminator.Step(parameters);
    }

    /// <summary>One update of the generator's parameters at η = <see cref="Optimizer.LearningRate"/>; counts the step.</summary>
    public void StepGenerator(IReadOnlyList<Parameter> parameters)
    {
        Generator.LearningRate = LearningRate;
        Generator.Step(parameters);
        StepCount = Generator.StepCount;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor Value)> GetState() =>
        Generator.GetState().Select(s => (GeneratorPrefix + s.Name, s.Value))
            .Concat(Discriminator.GetState().Select(s => (DiscriminatorPrefix + s.Name, s.Value))).ToArray();

    /// <inheritdoc/>
    /// <remarks>Both optimizers take <paramref name="stepCount"/>: each took one update per step.</remarks>
    public override void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (stepCount < 0) throw new FormatException($"{Name}'s step count must be >= 0 (got {stepCount}).");
        var generator = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var discriminator = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in state)
        {
            if (name.StartsWith(GeneratorPrefix, StringComparison.Ordinal)) generator[name[GeneratorPrefix.Length..]] = value;
            else if (name.StartsWith(DiscriminatorPrefix, StringComparison.Ordinal)) discriminator[name[DiscriminatorPrefix.Length..]] = value;
            else throw new FormatException($"{Name} state tensor '{TextExcerpt.Of(name)}' is neither the generator's nor the discriminator's.");
        }
        // Both are checked before either changes: a state refused halfway would leave the pair out of step.
        var savedGenerator = Generator.GetState().Select(s => (s.Name, s.Value.Clone())).ToDictionary(s => s.Name, s => s.Item2, StringComparer.Ordinal);
        long savedCount = Generator.StepCount;
        Generator.SetState(generator, stepCount);
        try { Discriminator.SetState(discriminator, stepCount); }
        catch (FormatException)
        {
            Generator.SetState(savedGenerator, savedCount);
            throw;
        }
        base.SetState(state, stepCount);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        Generator.Settings.Select(s => (GeneratorPrefix + s.Key, s.Value))
            .Concat(Discriminator.Settings.Select(s => (DiscriminatorPrefix + s.Key, s.Value)))
            .ToDictionary(s => s.Item1, s => s.Value, StringComparer.Ordinal);
}
