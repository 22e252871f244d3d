namespace ScratchNet.Training.Schedules;

/// <summary>
/// Multiplies η by <see cref="Factor"/> when the monitored loss has not improved by more than
/// <see cref="MinDelta"/> for more than <see cref="Patience"/> epochs: η = max(η_min, η₀ · factor^k)
/// after k reductions. An epoch improves when loss &lt; best - minDelta.
/// </summary>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    private double _best = double.PositiveInfinity;
    private int _badEpochs;
    private int _reductions;

    /// <summary>Reduce by <paramref name="factor"/> after <paramref name="patience"/> epochs without improvement.</summary>
    public ReduceOnPlateauSchedule(float factor = 0.1f, int patience = 10, float minDelta = 1e-4f, float minRate = 0)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), $"The factor must be in (0, 1) (got {factor}).");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"Patience must be >= 0 (got {patience}).");
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(minDelta), $"The minimum improvement must be >= 0 (got {minDelta}).");
        if (!(minRate >= 0)) throw new ArgumentOutOfRangeException(nameof(minRate), $"The minimum rate must be >= 0 (got {minRate}).");
        Factor = factor; Patience = patience; MinDelta = minDelta; MinRate = minRate;
    }

    /// <summary>The factor applied at each reduction.</summary>
    public float Factor { get; }

    /// <summary>Epochs without improvement tolerated before a reduction.</summary>
    public int Patience { get; }

    /// <summary>The smallest decrease of the loss that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>η never goes below this.</summary>
    public float MinRate { get; }

    /// <summary>How many reductions have happened.</summary>
    public int Reductions => _reductions;

    /// <inheritdoc/>
    public override string Name => "plateau";

    /// <inheritdoc/>
    protected override float Rate(int epoch, long step) => (float)Math.Max(MinRate, BaseRate * Math.Pow(Factor, _reductions));

    /// <inheritdoc/>
    protected override void OnEpochEnd(double monitoredLoss)
    {
        if (monitoredLoss < _best - MinDelta)
        {
            _best = monitoredLoss;
            _badEpochs = 0;
            return;
        }
        if (++_badEpochs > Patience)
        {
            _reductions++;
            _badEpochs = 0;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double> GetState() =>
        new Dictionary<string, double>(base.GetState()) { ["best"] = _best, ["bad_epochs"] = _badEpochs, ["reductions"] = _reductions };

    /// <inheritdoc/>
    public override void SetState(IReadOnlyDictionary<string, double> state)
    {
        // Everything is checked before anything changes. A NaN best would never improve; the counters
        // are bounded by what a run can reach: bad epochs reset after Patience, one reduction per epoch.
        double best = Get(state, "best");
        if (double.IsNaN(best) || double.IsNegativeInfinity(best))
            throw new FormatException($"The {Name} schedule's 'best' must be a loss or +infinity (got {Text(best)}).");
        int badEpochs = (int)WholeNumber(state, "bad_epochs", Patience);
        int reductions = (int)WholeNumber(state, "reductions", WholeNumber(state, "epoch", int.MaxValue - 1));
        base.SetState(state);
        _best = best;
        _badEpochs = badEpochs;
        _reductions = reductions;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["factor"] = Text(Factor), ["patience"] = Text(Patience), ["min_delta"] = Text(MinDelta), ["min_rate"] = Text(MinRate) };
}
