using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using Tensor = ScratchNet.Tensors.Tensor;

namespace ScratchNet.Tests.Layers;

/// <summary>The bugs the gradient checks must catch.</summary>
public enum Bug { DoubleWeightGradient, DropBiasGradient, DoubleInputGradient, HalveInputGradient }

/// <summary>Wraps a correct layer and corrupts its backward pass in one known way.</summary>
public sealed class BuggyLayer(Layer inner, Bug bug) : Layer
{
    private Tensor? _gradInput;

    public Layer Inner { get; } = inner;

    public override string TypeName => "Buggy" + Inner.TypeName;

    public override LayerSpec Spec => Inner.Spec;

    public override IReadOnlyList<Parameter> Parameters => Inner.Parameters;

    public override int[] OutputShape(int[] inputShape) => Inner.OutputShape(inputShape);

    // An inner layer built (and prepared) by the test is kept as it is.
    protected override void OnBuild(int[] inputShape, Rng rng)
    {
        if (!Inner.IsBuilt) Inner.Build(inputShape, rng);
    }

    public override Tensor Forward(Tensor input, bool training) => Inner.Forward(input, training);

    public override Tensor Backward(Tensor gradOutput)
    {
        var dx = Inner.Backward(gradOutput);
        switch (bug)
        {
            case Bug.DoubleWeightGradient:
                TensorMath.Scale(Inner.Parameters[0].Gradient.Span, 2f, Inner.Parameters[0].Gradient.Span);
                return dx;
            case Bug.DropBiasGradient:
                Inner.Parameters.Single(p => p.Name == "bias").Gradient.Clear();
                return dx;
            default:
                _gradInput ??= new Tensor(dx.ShapeArray());
                TensorMath.Scale(dx.Span, bug == Bug.DoubleInputGradient ? 2f : 0.5f, _gradInput.Span);
                return _gradInput;
        }
    }
}

/// <summary>A sigmoid whose derivative forgets the (1 - y) factor: dx = y dy.</summary>
public sealed class SigmoidMissingFactor : Activation
{
    protected override void Apply(Tensor input, Tensor output) =>
        System.Numerics.Tensors.TensorPrimitives.Sigmoid(input.Span, output.Span);

    protected override void ApplyGradient(Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) =>
        TensorMath.Multiply(output.Span, gradOutput.Span, gradInput.Span);
}

/// <summary>
/// BatchNorm whose input gradient treats the batch mean and variance as constants (the classic
/// mistake): dx = γ dy / sqrt(σ² + ε). Parameter gradients stay right.
/// </summary>
public sealed class BatchNormWithoutStatisticTerms(BatchNorm inner) : Layer
{
    private Tensor? _input, _gradInput;

    public override LayerSpec Spec => inner.Spec;

    public override IReadOnlyList<Parameter> Parameters => inner.Parameters;

    public override int[] OutputShape(int[] inputShape) => inner.OutputShape(inputShape);

    protected override void OnBuild(int[] inputShape, Rng rng) => inner.Build(inputShape, rng);

    public override Tensor Forward(Tensor input, bool training)
    {
        _input = input;
        return inner.Forward(input, training);
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        inner.Backward(gradOutput);
        var x = _input!;
        int n = x.Rows, f = x.Columns;
        _gradInput ??= new Tensor(x.ShapeArray());
        for (int j = 0; j < f; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += x[i, j];
            mean /= n;
            for (int i = 0; i < n; i++) variance += (x[i, j] - mean) * (x[i, j] - mean);
            variance /= n;
            double scale = inner.Gamma.Value[j] / Math.Sqrt(variance + inner.Epsilon);
            for (int i = 0; i < n; i++) _gradInput[i, j] = (float)(scale * gradOutput[i, j]);
        }
        return _gradInput;
    }
}
