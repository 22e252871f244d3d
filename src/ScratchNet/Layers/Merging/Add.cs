using ScratchNet.Tensors;

namespace ScratchNet.Layers.Merging;

/// <summary>
/// Element-wise sum of inputs of one shape: y = x₁ + x₂ + … + xₙ, the merge of a residual connection
/// (y = x + f(x)). ∂y/∂xᵢ = 1, so dL/dxᵢ = dL/dy for every input: Backward hands dL/dy itself to each.
/// </summary>
public sealed class Add : MergeLayer
{
    private Tensor? _output;
    private Tensor[] _gradInputs = [];

    /// <inheritdoc/>
    public override int[] OutputShape(IReadOnlyList<int[]> inputShapes) => RequireSameShapes(inputShapes);

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        RequireInputs(inputs);
        var y = EnsureBufferLike(ref _output, inputs[0]);
        TensorMath.Add(inputs[0].Span, inputs[1].Span, y.Span);
        for (int i = 2; i < inputs.Count; i++) TensorMath.Add(y.Span, inputs[i].Span, y.Span);
        return y;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        if (_gradInputs.Length != InputShapes.Count) _gradInputs = new Tensor[InputShapes.Count];
        _gradInputs.AsSpan().Fill(gradOutput);
        return _gradInputs;
    }
}
