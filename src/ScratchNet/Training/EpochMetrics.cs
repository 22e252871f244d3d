namespace ScratchNet.Training;

/// <summary>What one epoch achieved. Losses are means per sample; accuracies are fractions (NaN when not applicable or not measured).</summary>
public sealed record EpochMetrics
{
    /// <summary>1-based epoch.</summary>
    public int Epoch { get; init; }

    /// <summary>Mean training loss over the epoch (penalties included), measured during training.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Fraction of training samples classified correctly during the epoch.</summary>
    public double TrainAccuracy { get; init; } = double.NaN;

    /// <summary>Validation loss after the epoch (NaN without a validation set).</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Validation accuracy after the epoch.</summary>
    public double ValidationAccuracy { get; init; } = double.NaN;

    /// <summary>Test loss after the epoch (NaN without a test set).</summary>
    public double TestLoss { get; init; } = double.NaN;

    /// <summary>Test accuracy after the epoch.</summary>
    public double TestAccuracy { get; init; } = double.NaN;

    /// <summary>η of the epoch's first step (the schedule may change it from step to step).</summary>
    public float LearningRate { get; init; }

    /// <summary>Wall-clock seconds of the training part of the epoch (evaluation excluded).</summary>
    public double Seconds { get; init; }

    /// <summary>Processor seconds (all threads) the process used during the training part of the epoch; NaN where the platform has no process statistics (a browser).</summary>
    public double CpuSeconds { get; init; }

    /// <summary>Wall-clock seconds spent evaluating validation and test sets.</summary>
    public double EvaluationSeconds { get; init; }
}
