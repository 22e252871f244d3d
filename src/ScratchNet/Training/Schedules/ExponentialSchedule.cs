namespace ScratchNet.Training.Schedules;

/// <summary>η = η₀ γ^epoch: multiplied by γ after every epoch.</summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Decay by <paramref name="gamma"/> per epoch.</summary>
    public ExponentialSchedule(float gamma)
    {
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), $"Gamma must be in (0, 1] (got {gamma}).");
        Gamma = gamma;
    }

    /// <summary>γ, the factor per epoch.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override string Name => "exponential";

    /// <inheritdoc/>
    protected override float Rate(int epoch, long step) => (float)(BaseRate * Math.Pow(Gamma, epoch));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["gamma"] = Text(Gamma) };
}
