namespace ScratchNet.Training.Schedules;

/// <summary>η = η₀ γ^⌊epoch / stepSize⌋: multiplied by γ every <see cref="StepSize"/> epochs.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Decay by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepDecaySchedule(int stepSize, float gamma = 0.1f)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), $"The step size must be at least 1 epoch (got {stepSize}).");
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), $"Gamma must be in (0, 1] (got {gamma}).");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ, the factor applied at each decay.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override string Name => "step";

    /// <inheritdoc/>
    protected override float Rate(int epoch, long step) => (float)(BaseRate * Math.Pow(Gamma, epoch / StepSize));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["step_size"] = StepSize.ToString(System.Globalization.CultureInfo.InvariantCulture), ["gamma"] = Text(Gamma) };
}
