using ScratchNet.Tensors;

namespace ScratchNet.Layers.Merging;

/// <summary>
/// Element-wise product of inputs of one shape: y = x₁ ⊙ x₂ ⊙ … ⊙ xₙ (a gate, as in GLU). The
/// derivative with respect to one input is the product of the others, dL/dxᵢ = dL/dy ⊙ Πⱼ≠ᵢ xⱼ,
/// computed as that product (not as y / xᵢ, which fails where xᵢ = 0).
/// </summary>
public sealed class Multiply : MergeLayer
{
    private Tensor? _output;
    private Tensor?[] _gradInputs = [];
    private Tensor[] _inputs = [];

    /// <inheritdoc/>
    public override int[] OutputShape(IReadOnlyList<int[]> inputShapes) => RequireSameShapes(inputShapes);

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        RequireInputs(inputs);
        if (_inputs.Length != inputs.Count) _inputs = new Tensor[inputs.Count];
        for (int i = 0; i < inputs.Count; i++) _inputs[i] = inputs[i]; // kept for Backward
        var y = EnsureBufferLike(ref _output, inputs[0]);
        TensorMath.Multiply(inputs[0].Span, inputs[1].Span, y.Span);
        for (int i = 2; i < inputs.Count; i++) TensorMath.Multiply(y.Span, inputs[i].Span, y.Span);
        return y;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        int n = _inputs.Length;
        if (_gradInputs.Length != n) _gradInputs = new Tensor?[n];
        for (int i = 0; i < n; i++)
        {
            var dx = EnsureBufferLike(ref _gradInputs[i], gradOutput);
            gradOutput.Span.CopyTo(dx.Span);
            for (int j = 0; j < n; j++)
                if (j != i) TensorMath.Multiply(dx.Span, _inputs[j].Span, dx.Span);
        }
        return _gradInputs!;
    }
}
