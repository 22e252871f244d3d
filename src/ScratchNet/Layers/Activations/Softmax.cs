using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// Row-wise softmax over the features of each sample: y_j = e^(x_j) / Σ_k e^(x_k).
/// </summary>
/// <remarks>
/// Backward is the Jacobian-vector product with J_jk = y_j (δ_jk - y_k):
/// dx_j = y_j (dy_j - Σ_k dy_k y_k). For classification prefer logits with
/// <c>SoftmaxCrossEntropy</c>, which fuses softmax and the loss and is more stable.
/// </remarks>
public sealed class Softmax : Activation
{
    /// <inheritdoc/>
    protected override bool IsElementWise => false;

    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => TensorMath.SoftmaxRows(input, output);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        TensorMath.SoftmaxRowsBackward(output, gradOutput, gradInput);
}
