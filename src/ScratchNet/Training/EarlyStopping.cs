namespace ScratchNet.Training;

/// <summary>
/// Stops training when the validation loss has not improved for <see cref="Patience"/> epochs. An
/// epoch improves when its validation loss &lt; best - <see cref="MinDelta"/>. With
/// <see cref="RestoreBestWeights"/>, the model ends with the parameters (and buffers) of its best epoch.
/// Needs a validation set (<see cref="TrainerOptions.Validation"/> or <see cref="TrainerOptions.ValidationSplit"/>).
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Epochs without improvement before stopping (at least 1).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The smallest decrease of the validation loss that counts as an improvement.</summary>
    public float MinDelta { get; init; }

    /// <summary>Whether to put back the best epoch's weights at the end.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    internal void Validate()
    {
        if (Patience < 1) throw new ArgumentOutOfRangeException(nameof(Patience), $"Early stopping patience must be at least 1 epoch (got {Patience}).");
        if (!(MinDelta >= 0) || float.IsInfinity(MinDelta)) throw new ArgumentOutOfRangeException(nameof(MinDelta), $"Early stopping MinDelta must be a number >= 0 (got {MinDelta}).");
    }
}
