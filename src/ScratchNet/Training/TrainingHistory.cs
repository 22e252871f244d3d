namespace ScratchNet.Training;

/// <summary>The per-epoch metrics of a run and how it ended.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochMetrics> _epochs = [];

    /// <summary>One entry per completed epoch.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => _epochs;

    /// <summary>True when early stopping ended the run before the planned epochs.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>The 1-based epoch whose weights the model holds at the end (the best one when early stopping restored it).</summary>
    public int FinalWeightsEpoch { get; internal set; }

    /// <summary>The 1-based epoch with the lowest validation loss (0 without validation).</summary>
    public int BestEpoch { get; private set; }

    internal void Add(EpochMetrics m)
    {
        _epochs.Add(m);
        if (double.IsFinite(m.ValidationLoss) && (BestEpoch == 0 || m.ValidationLoss < _bestValidationLoss))
        {
            BestEpoch = m.Epoch;
            _bestValidationLoss = m.ValidationLoss;
        }
    }

    private double _bestValidationLoss;
}
