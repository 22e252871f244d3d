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

    /// <summary>
    /// The last <see cref="Forward"/> value before rounding to float (the built-in losses sum in double),
    /// or NaN when a loss does not record it. The gradient check uses it: the float's rounding step
    /// (2.4e-7 near a loss of 2.3) divided by a small 2h would otherwise swamp the numeric gradient.
    /// </summary>
    public double LastValue { get; protected set; } = double.NaN;
}
