namespace ScratchNet.Training;

/// <summary>
/// Where the arithmetic of a training step runs: the host's kernels (the default), or a device that
/// keeps the parameters, the optimizer state and the dataset in its own memory. <see cref="Trainer"/>
/// stays the one owner of the loop (epochs, shuffles, the schedule, checkpoints, observers, metrics);
/// an engine only carries out what it is told, in this order:
/// <code>
/// per epoch:  BeginEpoch(order)                       the epoch's sample order
/// per step:   Step(start, count, η)                   forward, loss, backward, update on order[start .. start+count)
///             ReadOutcome()                           the step's loss and correct rows (a device→host read)
/// per epoch:  CopyToHost()                            θ and the optimizer's state into the host model and optimizer
/// </code>
/// Nothing goes back to the host inside a step but what <see cref="ReadOutcome"/> returns.
/// </summary>
public interface IStepEngine : IDisposable
{
    /// <summary>The device in words ("cpu", "cuda: NVIDIA H100 80GB HBM3").</summary>
    string Device { get; }

    /// <summary>Starts an epoch that visits the training samples in <paramref name="order"/> (indices into the training set).</summary>
    void BeginEpoch(ReadOnlySpan<int> order);

    /// <summary>
    /// One step on the samples order[<paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/>)
    /// at learning rate η = <paramref name="learningRate"/>: ŷ = f(x; θ), L = loss(ŷ, y), ∇θ = ∂L/∂θ, θ ← update(θ, ∇θ, η).
    /// </summary>
    void Step(int start, int count, float learningRate);

    /// <summary>The last step's mean loss and correct rows.</summary>
    StepOutcome ReadOutcome();

    /// <summary>
    /// Copies the parameters and the optimizer's state (with its step count) into the host
    /// <see cref="Models.Sequential"/> and <see cref="Optimizers.Optimizer"/>, so that evaluation,
    /// checkpoints and the model file see the trained values. A no-op where they already live on the host.
    /// </summary>
    void CopyToHost();
}
