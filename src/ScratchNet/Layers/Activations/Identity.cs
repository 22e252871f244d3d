using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>y = x; dy/dx = 1. A linear output (regression) or a placeholder.</summary>
public sealed class Identity : Activation
{
    /// <inheritdoc/>
    protected override void Apply(Tensor input, Tensor output) => input.Span.CopyTo(output.Span);

    /// <inheritdoc/>
    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        gradOutput.Span.CopyTo(gradInput.Span);
}
