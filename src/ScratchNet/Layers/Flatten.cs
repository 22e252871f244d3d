using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Reshapes each sample to a vector: (batch, d1, d2, ...) → (batch, d1·d2·...). No copy: the output
/// is a view of the input, and the gradient a view of gradOutput.
/// </summary>
public sealed class Flatten : Layer
{
    private Tensor? _output, _gradInput;
    private int _features;

    /// <inheritdoc/>
    public override LayerSpec Spec => new("Flatten");

    /// <inheritdoc/>
    public override int[] OutputShape(int[] inputShape)
    {
        long p = LayerCost.Elements(inputShape);
        if (p > Array.MaxLength) throw new ArgumentException($"Flatten: input {Tensor.FormatShape(inputShape)} has more values than an array can hold.");
        return [(int)p];
    }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Rng rng) => _features = OutputShape(inputShape)[0];

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        RequireInput(input);
        if (!IsViewOf(_output, input)) _output = input.Reshape(input.Dim(0), _features);
        return _output!;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradOutput(gradOutput, _output);
        if (!IsViewOf(_gradInput, gradOutput))
        {
            var shape = new int[InputShape.Length + 1];
            shape[0] = gradOutput.Dim(0);
            InputShape.CopyTo(shape, 1);
            _gradInput = gradOutput.Reshape(shape);
        }
        return _gradInput!;
    }

    // The cached view is reused when it covers the same elements of the same array.
    private static bool IsViewOf(Tensor? view, Tensor t) =>
        view is not null && ReferenceEquals(view.Data, t.Data) && view.Offset == t.Offset && view.Length == t.Length && view.Dim(0) == t.Dim(0);
}
