using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training.Presets;

/// <summary>
/// A named, reproducible training recipe: the data, the model, the loss, the optimizer, the
/// schedule, the epochs and the batch size. <see cref="TrainingJob"/> runs one by name.
/// </summary>
public sealed class Preset
{
    /// <summary>The name used on the command line ("mnist-mlp").</summary>
    public required string Name { get; init; }

    /// <summary>One line saying what it trains and how.</summary>
    public required string Description { get; init; }

    /// <summary>The dataset name known to <see cref="DatasetManager"/>.</summary>
    public required string Dataset { get; init; }

    /// <summary>The architecture in words, for metrics ("784-256-128-10, ReLU").</summary>
    public required string ModelDescription { get; init; }

    /// <summary>Default number of epochs.</summary>
    public required int Epochs { get; init; }

    /// <summary>Samples per step; <see cref="int.MaxValue"/> = full batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>A fresh, unbuilt model.</summary>
    public required Func<Sequential> CreateModel { get; init; }

    /// <summary>A fresh loss.</summary>
    public required Func<Loss> CreateLoss { get; init; }

    /// <summary>A fresh optimizer.</summary>
    public required Func<Optimizer> CreateOptimizer { get; init; }

    /// <summary>The schedule for a run of the given number of epochs (null = constant rate).</summary>
    public Func<int, LearningRateSchedule?> CreateSchedule { get; init; } = _ => null;

    /// <summary>Class 1 when the single output is ≥ this (0 for logits).</summary>
    public float BinaryThreshold { get; init; } = 0.5f;

    /// <summary>The test accuracy this recipe is expected to reach (NaN for regression).</summary>
    public double GoalAccuracy { get; init; } = double.NaN;

    /// <summary>Loads (train, test) through the manager; the seed is for synthetic sets and table splits.</summary>
    public required Func<DatasetManager, ulong, LoadedData> LoadData { get; init; }

    /// <summary>Extra results worth reporting after training (the fitted line of tv-marketing), or null.</summary>
    public Func<Sequential, LoadedData, IReadOnlyDictionary<string, double>>? Report { get; init; }

    public override string ToString() => $"{Name}: {Description}";
}
