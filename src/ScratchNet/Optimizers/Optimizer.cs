using ScratchNet.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Optimizers;

/// <summary>
/// Updates parameters from their gradients: θ ← θ - update(∇θ). Optimizers with per-parameter
/// state (velocities, moments) derive from <see cref="StatefulOptimizer"/>, which creates it on the
/// first <see cref="Step"/> and keeps it in parameter order, so checkpoints can save it.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The step size η (schedules change it between steps).</summary>
    public float LearningRate { get; set; }

    /// <summary>How many steps have been taken (Adam's bias correction uses it).</summary>
    public long StepCount { get; protected set; }

    /// <summary>The name used in files and summaries ("Adam").</summary>
    public virtual string Name => GetType().Name;

    /// <summary>An optimizer with step size <paramref name="learningRate"/>.</summary>
    protected Optimizer(float learningRate)
    {
        if (!(learningRate > 0) || float.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"The learning rate must be a positive number (got {learningRate}).");
        LearningRate = learningRate;
    }

    /// <summary>Applies one update to every parameter from its <see cref="Parameter.Gradient"/>.</summary>
    public abstract void Step(IReadOnlyList<Parameter> parameters);

    /// <summary>
    /// The state a checkpoint must keep, as named tensors ("p{index}.{slot}", e.g. "p0.m"). Empty for
    /// plain gradient descent.
    /// </summary>
    public virtual IReadOnlyList<(string Name, Tensor Value)> GetState() => [];

    /// <summary>Restores state from <see cref="GetState"/>'s tensors and the step count.</summary>
    /// <exception cref="FormatException">The state is not this optimizer's (a tensor missing or unexpected, a value out of range).</exception>
    public virtual void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        if (stepCount < 0) throw new FormatException($"{Name}'s step count must be >= 0 (got {stepCount}).");
        StepCount = stepCount;
    }

    /// <summary>
    /// Restores state as <see cref="SetState(IReadOnlyDictionary{string, Tensor}, long)"/> does, after
    /// checking that it fits <paramref name="parameters"/> (one state tensor per parameter and slot,
    /// each of its parameter's shape), so that a state from a file that does not fit is refused here,
    /// naming the tensor, and not at some later step.
    /// </summary>
    /// <exception cref="FormatException">The state does not fit the parameters, or is malformed.</exception>
    public void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount, IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        CheckState(state, parameters);
        SetState(state, stepCount);
    }

    /// <summary>
    /// Checks that <paramref name="state"/> fits <paramref name="parameters"/>; throws <see cref="FormatException"/>
    /// naming the tensor that does not. The default accepts anything (an optimizer of another kind knows its own state).
    /// </summary>
    protected virtual void CheckState(IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<Parameter> parameters) { }

    /// <summary>
    /// Hyperparameters as text, for metrics and model files. The learning rate is not among them: in
    /// training it belongs to the schedule, which sets <see cref="LearningRate"/> before every step.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();
}
