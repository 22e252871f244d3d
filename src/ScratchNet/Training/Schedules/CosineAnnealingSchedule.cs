namespace ScratchNet.Training.Schedules;

/// <summary>
/// Linear warm-up, then cosine annealing, per step. With W warm-up steps and T total steps
/// (epochs × <see cref="LearningRateSchedule.StepsPerEpoch"/>):
/// <code>
/// step s &lt; W:  η = η₀ (s + 1) / W
/// otherwise:   η = η_min + (η₀ - η_min) (1 + cos(π p)) / 2,  p = min(1, (s - W) / (T - W))
/// </code>
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>
    /// Anneals over <paramref name="totalEpochs"/> after <paramref name="warmupEpochs"/> (may be 0) of
    /// linear warm-up, down to <paramref name="minRate"/>.
    /// </summary>
    public CosineAnnealingSchedule(int totalEpochs, float warmupEpochs = 0, float minRate = 0)
    {
        if (totalEpochs < 1) throw new ArgumentOutOfRangeException(nameof(totalEpochs), $"Total epochs must be at least 1 (got {totalEpochs}).");
        if (!(warmupEpochs >= 0 && warmupEpochs < totalEpochs)) throw new ArgumentOutOfRangeException(nameof(warmupEpochs), $"Warm-up epochs must be in [0, {totalEpochs}) (got {warmupEpochs}).");
        if (!(minRate >= 0)) throw new ArgumentOutOfRangeException(nameof(minRate), $"The minimum rate must be >= 0 (got {minRate}).");
        TotalEpochs = totalEpochs;
        WarmupEpochs = warmupEpochs;
        MinRate = minRate;
    }

    /// <summary>Epochs from the start to the end of annealing (warm-up included).</summary>
    public int TotalEpochs { get; }

    /// <summary>Epochs of linear warm-up (fractions allowed).</summary>
    public float WarmupEpochs { get; }

    /// <summary>η_min, the rate at the end.</summary>
    public float MinRate { get; }

    /// <inheritdoc/>
    public override string Name => "cosine";

    /// <inheritdoc/>
    protected override float Rate(int epoch, long step)
    {
        long total = (long)TotalEpochs * StepsPerEpoch;
        long warmup = (long)Math.Round(WarmupEpochs * StepsPerEpoch);
        if (step < warmup) return (float)(BaseRate * (step + 1) / (double)warmup);
        double p = total > warmup ? Math.Min(1.0, (step - warmup) / (double)(total - warmup)) : 1.0;
        return (float)(MinRate + (BaseRate - MinRate) * (1 + Math.Cos(Math.PI * p)) / 2);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["total_epochs"] = Text(TotalEpochs), ["warmup_epochs"] = Text(WarmupEpochs), ["min_rate"] = Text(MinRate) };
}
