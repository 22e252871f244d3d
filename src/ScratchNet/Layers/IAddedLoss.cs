namespace ScratchNet.Layers;

/// <summary>
/// A layer that adds a term of its own to the training loss (the KL term of a variational
/// autoencoder's sampling layer): the model's loss is L = loss(ŷ, y) + Σ over such layers of
/// <see cref="AddedLoss"/>. The layer's <see cref="Layer.Backward"/> already includes the term's
/// gradient in the dL/dx it returns, so the trainer adds only the value.
/// </summary>
public interface IAddedLoss
{
    /// <summary>The term's value for the last forward batch, a mean over its samples (summed in double).</summary>
    double AddedLoss { get; }
}
