using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Layers;

public class DenseTests
{
    [Fact]
    public void ForwardIsXTimesWPlusB()
    {
        var dense = new Dense(2, new Constant(0f));
        dense.Build([3], new Rng(1));
        // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1]
        Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2).CopyTo(dense.Weight.Value);
        Tensor.FromArray([0.5f, -1f], 2).CopyTo(dense.Bias!.Value);
        var x = Tensor.FromArray([1, 0, -1, 2, 1, 0], 2, 3);
        var y = dense.Forward(x, training: false);
        // row 0: [1-5, 2-6] + b = [-3.5, -5]; row 1: [2+3, 4+4] + b = [5.5, 7]
        Assert.Equal([-3.5f, -5f, 5.5f, 7f], y.ToArray());
    }

    [Fact]
    public void BackwardMatchesHandComputedGradients()
    {
        var dense = new Dense(2, new Constant(0f));
        dense.Build([3], new Rng(1));
        Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2).CopyTo(dense.Weight.Value);
        var x = Tensor.FromArray([1, 0, -1, 2, 1, 0], 2, 3);
        dense.Forward(x, training: true);
        var dy = Tensor.FromArray([1, 0, 0, 2], 2, 2);
        var dx = dense.Backward(dy);
        // dW = x^T dy = [[1, 4], [0, 2], [-1, 0]]; db = [1, 2]; dx = dy W^T = [[1, 3, 5], [4, 8, 12]]
        Assert.Equal([1f, 4f, 0f, 2f, -1f, 0f], dense.Weight.Gradient.ToArray());
        Assert.Equal([1f, 2f], dense.Bias!.Gradient.ToArray());
        Assert.Equal([1f, 3f, 5f, 4f, 8f, 12f], dx.ToArray());
    }

    [Fact]
    public void WrongInputShapeNamesLayerAndBothShapes()
    {
        var dense = new Dense(4);
        dense.Build([3], new Rng(1));
        var ex = Assert.Throws<ShapeMismatchException>(() => dense.Forward(new Tensor(2, 5), false));
        Assert.Contains("Dense", ex.Message);
        Assert.Contains("(2, 5)", ex.Message);
        Assert.Contains("(batch, 3)", ex.Message);
    }

    /// <summary>Over leading dimensions Dense maps the last axis (a sequence (T, C) to (T, units)); an image needs a Flatten first to be one vector.</summary>
    [Fact]
    public void DenseMapsTheLastAxis()
    {
        var dense = new Dense(4);
        dense.Build([2, 3], new Rng(1));
        Assert.Equal([2, 4], dense.OutputShape([2, 3]));
        Assert.True(dense.Weight.Value.HasShape(3, 4));
        var ex = Assert.Throws<ArgumentException>(() => new Dense(4).Build([2, 0], new Rng(1)));
        Assert.Contains("at least one feature on the last axis", ex.Message);
    }

    [Fact]
    public void SmallMlpLearnsToSeparateTwoBlobs()
    {
        var rng = new Rng(7);
        int n = 64;
        var x = new Tensor(n, 2);
        var t = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            int c = i % 2;
            x[i, 0] = (c == 0 ? -1f : 1f) + 0.3f * (float)rng.NextGaussian();
            x[i, 1] = (c == 0 ? 1f : -1f) + 0.3f * (float)rng.NextGaussian();
            t[i] = c;
        }
        var model = new Sequential(new Dense(8, new HeNormal()), new ReLU(), new Dense(2)).Build([2], 3);
        var loss = new SoftmaxCrossEntropy();
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            last = loss.Forward(model.Forward(x, training: true), t);
            if (step == 0) first = last;
            model.Backward(loss.Backward());
            foreach (var p in model.Parameters) TensorMath.AddScaled(p.Value.Span, -0.5f, p.Gradient.Span);
        }
        Assert.True(last < 0.1f * first, $"loss went from {first} to {last}");
    }
}
