using System.Numerics.Tensors;
using ScratchNet.Tensors;
using Tensor = ScratchNet.Tensors.Tensor;

namespace ScratchNet.Layers.Activations;

/// <summary>Hyperbolic tangent: y = tanh(x); dy/dx = 1 - y².</summary>
public sealed class Tanh : Activation
{
    protected override void Apply(Tensor input, Tensor output) => TensorPrimitives.Tanh(input.Span, output.Span);

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ReadOnlySpan<float> y = output.Span, dy = gradOutput.Span;
        var dx = gradInput.Span;
        TensorPrimitives.Multiply(y, y, dx);      // y²
        TensorPrimitives.Subtract(1f, dx, dx);    // 1 - y²
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
