using ScratchNet.Tensors;

namespace ScratchNet.Losses;

/// <summary>
/// A loss L(prediction, target), averaged over the batch. Targets are a tensor: class indices
/// (stored as floats, shape (batch)) for classification losses, values of the prediction's shape
/// for regression.
/// </summary>
public abstract class Loss
{
    /// <summary>The name used in files and summaries ("SoftmaxCrossEntropy").</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The mean loss over the batch; keeps what <see cref="Backward"/> needs.</summary>
    public abstract float Forward(Tensor prediction, Tensor target);

    /// <summary>dL/dprediction for the last <see cref="Forward"/> call (a buffer the loss owns).</summary>
    public abstract Tensor Backward();
}
