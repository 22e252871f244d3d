using System.Numerics.Tensors;
using ScratchNet.Tensors;
using Tensor = ScratchNet.Tensors.Tensor;

namespace ScratchNet.Layers.Activations;

/// <summary>Logistic sigmoid: y = σ(x) = 1 / (1 + e^-x); dy/dx = y (1 - y).</summary>
public sealed class Sigmoid : Activation
{
    protected override void Apply(Tensor input, Tensor output) => TensorPrimitives.Sigmoid(input.Span, output.Span);

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ReadOnlySpan<float> y = output.Span, dy = gradOutput.Span;
        var dx = gradInput.Span;
        TensorPrimitives.Multiply(y, y, dx);      // y²
        TensorPrimitives.Subtract(y, dx, dx);     // y - y² = y (1 - y)
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
