using ScratchNet.Training.Schedules;

namespace ScratchNet.Training.Presets;

/// <summary>
/// The learning-rate schedule of a recipe by name (constant, step, exponential, cosine, plateau) with
/// the settings that name takes; null settings take the schedule's defaults.
/// </summary>
public sealed record ScheduleRecipe
{
    /// <summary>The names <see cref="Create"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "step", "exponential", "cosine", "plateau"];

    /// <summary>constant, step, exponential, cosine or plateau.</summary>
    public string Name { get; init; } = "constant";

    /// <summary>step: epochs between decays (null: a third of the epochs).</summary>
    public int? StepSize { get; init; }

    /// <summary>step, exponential, plateau: the factor η is multiplied by (null: 0.1, 0.95, 0.1).</summary>
    public double? Gamma { get; init; }

    /// <summary>cosine: epochs of linear warm-up (null: none; cut to one epoch less than the run).</summary>
    public double? WarmupEpochs { get; init; }

    /// <summary>cosine, plateau: the lowest rate (null: 0).</summary>
    public double? MinLearningRate { get; init; }

    /// <summary>plateau: epochs without improvement before η is reduced (null: 5).</summary>
    public int? PlateauPatience { get; init; }

    /// <summary>Checks the name, and that every setting given belongs to it.</summary>
    /// <exception cref="ArgumentException">An unknown name or a setting of another schedule.</exception>
    public void Validate(int epochs)
    {
        if (!TextExcerpt.IsName(Name)) throw new ArgumentException($"The schedule is not a name: '{TextExcerpt.Of(Name)}'.");
        string n = Normalized;
        if (!Names.Contains(n)) throw new ArgumentException($"Unknown schedule '{Name}'. Known: {string.Join(", ", Names)}.");
        Require(StepSize is null || n == "step", "a step size", "step");
        Require(Gamma is null || n is "step" or "exponential" or "plateau", "a decay factor gamma", "step, exponential and plateau");
        Require(WarmupEpochs is null || n == "cosine", "warm-up epochs", "cosine");
        Require(MinLearningRate is null || n is "cosine" or "plateau", "a minimum learning rate", "cosine and plateau");
        Require(PlateauPatience is null || n == "plateau", "a plateau patience", "plateau");
        if (WarmupEpochs is double w && !(w >= 0) || double.IsInfinity(WarmupEpochs ?? 0))
            throw new ArgumentException($"The warm-up must be a number of epochs >= 0 (got {WarmupEpochs}).");
        if (MinLearningRate is double m && !(m >= 0 && float.IsFinite((float)m)))
            throw new ArgumentException($"The minimum learning rate must be a number >= 0 (got {MinLearningRate}).");
        Create(epochs, 1f);

        void Require(bool ok, string what, string owners)
        {
            if (!ok) throw new ArgumentException($"The {n} schedule takes no {what} (only {owners} do).");
        }
    }

    /// <summary>A new schedule for a run of <paramref name="epochs"/> epochs starting from η₀ = <paramref name="baseRate"/>.</summary>
    public LearningRateSchedule Create(int epochs, float baseRate)
    {
        LearningRateSchedule schedule = Normalized switch
        {
            "constant" => new ConstantSchedule(),
            "step" => new StepDecaySchedule(StepSize ?? Math.Max(1, epochs / 3), (float)(Gamma ?? 0.1)),
            "exponential" => new ExponentialSchedule((float)(Gamma ?? 0.95)),
            // The warm-up is cut short of the run's end, so a shortened run still anneals.
            "cosine" => new CosineAnnealingSchedule(epochs, (float)Math.Min(WarmupEpochs ?? 0, Math.Max(0, epochs - 1)), (float)(MinLearningRate ?? 0)),
            "plateau" => new ReduceOnPlateauSchedule((float)(Gamma ?? 0.1), PlateauPatience ?? 5, minRate: (float)(MinLearningRate ?? 0)),
            _ => throw new ArgumentException($"Unknown schedule '{Name}'. Known: {string.Join(", ", Names)}."),
        };
        schedule.BaseRate = baseRate;
        return schedule;
    }

    private string Normalized => (Name ?? "").Trim().ToLowerInvariant();
}
