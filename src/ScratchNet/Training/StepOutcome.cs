namespace ScratchNet.Training;

/// <summary>
/// What one training step reports back to the trainer: the batch's mean loss L = (1/B) Σᵢ ℓᵢ (with
/// any penalty) and, for a classifier, how many of its class decisions were right.
/// </summary>
/// <param name="Loss">The batch's mean loss; NaN or ±∞ when the step diverged.</param>
/// <param name="Correct">Decisions whose predicted class equals the target (0 for a regression).</param>
/// <param name="Decided">
/// Class decisions made: the batch's B rows, or for sequences its counted positions (targets that are
/// not <see cref="Targets.Ignored"/>); 0 for a regression.
/// </param>
public readonly record struct StepOutcome(float Loss, int Correct, int Decided);
