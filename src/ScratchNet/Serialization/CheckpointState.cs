using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>
/// Everything a training run needs to continue as if it had never stopped: weights and buffers,
/// optimizer state and step count, every random generator's state, the position (epoch, batch,
/// global step), the learning-rate schedule's state and the run's settings.
/// </summary>
/// <remarks>
/// Typical use in a trainer, at the end of each epoch:
/// <code>
/// var state = CheckpointState.Capture(model, optimizer, new Dictionary&lt;string, Rng&gt; { ["shuffle"] = shuffleRng }, epoch);
/// state.Schedule = schedule.GetState();  state.Settings["epochs"] = "10";
/// Checkpoint.Save(dir, state);
/// </code>
/// and to resume: <c>var s = Checkpoint.Load(dir); s.RestoreModel(model); s.RestoreOptimizer(opt); s.RestoreRng("shuffle", shuffleRng);</c>
/// </remarks>
public sealed class CheckpointState
{
    /// <summary>Completed epochs (the next epoch to run is Epoch + 1).</summary>
    public int Epoch { get; set; }

    /// <summary>Batches already done in epoch Epoch + 1 (0 when the checkpoint is at an epoch boundary).</summary>
    public long BatchInEpoch { get; set; }

    /// <summary>Optimizer steps taken over the whole run.</summary>
    public long GlobalStep { get; set; }

    /// <summary>Weights and buffers by <see cref="ModelTensors"/> name ("layers.0.weight").</summary>
    public Dictionary<string, Tensor> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The optimizer's state tensors by their own names ("p0.m").</summary>
    public Dictionary<string, Tensor> OptimizerState { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The optimizer's <see cref="Optimizer.StepCount"/>.</summary>
    public long OptimizerStepCount { get; set; }

    /// <summary>The optimizer's name ("Adam"), to refuse resuming with another optimizer.</summary>
    public string? OptimizerName { get; set; }

    /// <summary>Generator states (4 words each) by name: "shuffle", "layers.3.rng", ...</summary>
    public Dictionary<string, ulong[]> RngStates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The learning-rate schedule's state (LearningRateSchedule.GetState()).</summary>
    public Dictionary<string, double> Schedule { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Run settings needed to resume (dataset, epochs, batch size, seed, loss, ...).</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Integer arrays to keep (e.g. the current shuffled sample order), by name; stored as I32 tensors.</summary>
    public Dictionary<string, int[]> IntArrays { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Other tensors to keep (e.g. early stopping's best weights), by name.</summary>
    public Dictionary<string, Tensor> ExtraTensors { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The architecture and the model metadata (dataset, classes, standardisation, ...), so the
    /// checkpoint alone rebuilds the model and serves as its model file.
    /// </summary>
    public ModelMetadata? Model { get; set; }

    /// <summary>
    /// A snapshot (copies) of <paramref name="model"/>'s weights and of <paramref name="optimizer"/>'s
    /// state, the given generators plus every stochastic layer's generator ("layers.{i}.rng", "nodes.{name}.rng"), the
    /// position, and <paramref name="metadata"/> (a copy, with the model's architecture filled in).
    /// </summary>
    public static CheckpointState Capture(Model model, Optimizer? optimizer, IReadOnlyDictionary<string, Rng>? rngs,
        int epoch, long batchInEpoch = 0, long globalStep = 0, ModelMetadata? metadata = null)
    {
        var state = new CheckpointState { Epoch = epoch, BatchInEpoch = batchInEpoch, GlobalStep = globalStep };
        foreach (var (name, value) in ModelTensors.Collect(model)) state.Weights[name] = value.Clone();
        foreach (var (name, rng) in ModelTensors.CollectRngs(model)) state.RngStates[name] = rng.GetState();
        if (rngs != null)
            foreach (var (name, rng) in rngs) state.RngStates[name] = rng.GetState();
        if (optimizer != null)
        {
            foreach (var (name, value) in optimizer.GetState()) state.OptimizerState[name] = value.Clone();
            state.OptimizerStepCount = optimizer.StepCount;
            state.OptimizerName = optimizer.Name;
        }
        state.Model = metadata?.WithArchitectureOf(model) ?? new ModelMetadata().WithArchitectureOf(model);
        return state;
    }

    /// <summary>Copies the saved weights and buffers into <paramref name="model"/> and restores its stochastic layers' generators.</summary>
    /// <exception cref="ModelFileException">A tensor is missing or has another shape.</exception>
    public void RestoreModel(Model model, string source = "checkpoint")
    {
        ModelTensors.Assign(model, Weights, source);
        foreach (var (name, rng) in ModelTensors.CollectRngs(model))
            if (RngStates.TryGetValue(name, out var s)) rng.SetState(s);
    }

    /// <summary>
    /// Restores the optimizer's state and step count. The learning rate is the schedule's to set (its
    /// state is in <see cref="Schedule"/>).
    /// </summary>
    /// <exception cref="ModelFileException">The checkpoint was written by another optimizer, or its state does not fit.</exception>
    public void RestoreOptimizer(Optimizer optimizer, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        RequireOptimizer(optimizer, source);
        try { optimizer.SetState(OptimizerState, OptimizerStepCount); }
        catch (FormatException e) { throw new ModelFileException(source, "the optimizer state: " + e.Message.TrimEnd('.'), e); }
    }

    /// <summary>
    /// Restores the optimizer's state and step count after checking that the state fits
    /// <paramref name="parameters"/> (the model's, in order): a state tensor of another shape is refused
    /// here, naming it, instead of failing at the first step.
    /// </summary>
    /// <exception cref="ModelFileException">Another optimizer wrote it, or its state does not fit the parameters or is malformed.</exception>
    public void RestoreOptimizer(Optimizer optimizer, IReadOnlyList<Parameter> parameters, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        RequireOptimizer(optimizer, source);
        try { optimizer.SetState(OptimizerState, OptimizerStepCount, parameters); }
        catch (FormatException e) { throw new ModelFileException(source, "the optimizer state: " + e.Message.TrimEnd('.'), e); }
    }

    private void RequireOptimizer(Optimizer optimizer, string source)
    {
        if (OptimizerName != null && OptimizerName != optimizer.Name)
            throw new ModelFileException(source, $"the checkpoint's optimizer is {TextExcerpt.Of(OptimizerName)}, the run uses {optimizer.Name}");
    }

    /// <summary>Restores generator <paramref name="name"/> into <paramref name="rng"/>.</summary>
    /// <exception cref="ModelFileException">The checkpoint has no such generator.</exception>
    public void RestoreRng(string name, Rng rng, string source = "checkpoint")
    {
        if (!RngStates.TryGetValue(name, out var s))
            throw new ModelFileException(source, $"no state for the random generator '{name}' (saved: {string.Join(", ", RngStates.Keys)})");
        rng.SetState(s);
    }

    /// <summary>A new <see cref="Sequential"/> of the saved architecture with the saved weights.</summary>
    /// <exception cref="ModelFileException">No architecture, a graph model's, or weights that do not fit it.</exception>
    public Sequential BuildModel(string source = "checkpoint")
    {
        if (Model == null) throw new ModelFileException(source, "the checkpoint has no architecture");
        var model = ModelFile.RebuildSequential(Model, source, Weights.Values.Sum(t => 4L * t.Length) + 4096);
        RestoreModel(model, source);
        return model;
    }
}
