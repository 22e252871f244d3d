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
    public virtual void SetState(IReadOnlyDictionary<string, Tensor> state, long stepCount) => StepCount = stepCount;

    /// <summary>
    /// Hyperparameters as text, for metrics and model files. The learning rate is not among them: in
    /// training it belongs to the schedule, which sets <see cref="LearningRate"/> before every step.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();
}
