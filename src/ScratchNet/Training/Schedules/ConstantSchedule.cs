namespace ScratchNet.Training.Schedules;

/// <summary>η_t = η₀ for every step.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override string Name => "constant";

    /// <inheritdoc/>
    protected override float Rate(int epoch, long step) => BaseRate;
}
