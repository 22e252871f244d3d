using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// A parameter-free layer y = f(x) of the same shape as x. Element-wise activations implement
/// <see cref="Apply"/> and <see cref="ApplyGradient"/>; the base class keeps the input, the output
/// and the gradient buffer, and checks shapes.
/// </summary>
public abstract class Activation : Layer
{
    private Tensor? _input, _output;
    private readonly GrowingBuffer _outputBuffer = new(), _gradInputBuffer = new();

    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <summary>The input of the last <see cref="Forward"/> (owned by the layer before), or null.</summary>
    protected Tensor? LastInput => _input;

    public override LayerSpec Spec => new(TypeName);

    /// <summary>y = f(x).</summary>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        var y = _output = _outputBuffer.For(input.Shape);
        _input = input;
        if (input.Length > 0) Apply(input, y); // some span kernels refuse empty spans

        return y;
    }

    /// <summary>dL/dx from dL/dy: f'(x) ⊙ dL/dy for element-wise activations.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        var dx = _gradInputBuffer.For(gradOutput.Shape);
        if (dx.Length > 0) ApplyGradient(_input!, _output!, gradOutput, dx);
        return dx;
    }

    /// <summary>Writes y = f(x). <paramref name="output"/> has the shape of <paramref name="input"/>.</summary>
    protected abstract void Apply(Tensor input, Tensor output);

    /// <summary>
    /// Writes dL/dx given the forward input x, output y and dL/dy (all of one shape). Implementations
    /// may use whichever of x and y makes the derivative cheapest (σ' = y(1 - y), tanh' = 1 - y²).
    /// </summary>
    protected abstract void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput);
}
