using ScratchNet.Losses;
using ScratchNet.Tensors;
using ScratchNet.Tests.Layers;

namespace ScratchNet.Tests.Sequences;

/// <summary>Softmax cross-entropy over sequence outputs: logits (batch, T, V), targets (batch, T), the mean over batch · T positions.</summary>
public class SequenceLossTests
{
    [Fact]
    public void HandValuesAreTheMeanOverEveryPosition()
    {
        var loss = new SoftmaxCrossEntropy();
        // Sample 0: equal logits (log 3 each position); sample 1, position 0: (0, ln 2, 0) with target 1 gives
        // -log(2/4) = log 2; position 1: equal logits again.
        var z = Tensor.FromArray([0, 0, 0, 5, 5, 5, 0, MathF.Log(2), 0, 1, 1, 1], 2, 2, 3);
        var t = Tensor.FromArray([0, 2, 1, 0], 2, 2);
        Assert.Equal((3 * Math.Log(3) + Math.Log(2)) / 4, loss.Forward(z, t), 6);
        var g = loss.Backward();
        Assert.True(g.HasShape(2, 2, 3), g.ShapeString);
        // (p - onehot) / 4 at position (1, 0): p = (1/4, 1/2, 1/4), target 1.
        Assert.Equal(0.25 / 4, g[6], 6);
        Assert.Equal((0.5 - 1) / 4, g[7], 6);
    }

    [Fact]
    public void ASequenceIsTheSameAsItsPositionsAsRows()
    {
        var z = DoubleGradient.Random(1, 2f, 3, 5, 7);
        var t = Tensor.FromArray([0, 6, 3, 3, 1, 2, 5, 4, 0, 0, 6, 1, 2, 3, 4], 3, 5);
        var sequence = new SoftmaxCrossEntropy();
        var rows = new SoftmaxCrossEntropy();
        Assert.Equal(rows.Forward(z.Reshape(15, 7), t.Reshape(15)), sequence.Forward(z, t));
        Assert.Equal(rows.Backward().ToArray(), sequence.Backward().ToArray());
    }

    [Fact]
    public void GradientOfTheSequenceLoss()
    {
        var z = DoubleGradient.Random(2, 2f, 2, 3, 4);
        var t = Tensor.FromArray([0, 3, 1, 1, 2, 0], 2, 3);
        var loss = new SoftmaxCrossEntropy();
        Assert.Equal(Reference.SoftmaxCrossEntropy(DoubleGradient.ToDouble(z), DoubleGradient.ToDouble(t), 4), loss.Forward(z, t), 5);
        double error = DoubleGradient.CheckLoss(loss, z, t, (p, y) => Reference.SoftmaxCrossEntropy(p, y, 4));
        Assert.True(error < DoubleGradient.Tolerance, $"relative error {error}");
    }

    [Fact]
    public void ABadTargetIsNamedByItsPosition()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3, 5), Tensor.FromArray([0, 1, 2, 3, 9, 4], 2, 3)));
        Assert.Equal("SoftmaxCrossEntropy: target (1, 1) is 9, not a class index in [0, 5) or -1 (ignored).", e.Message);
    }

    [Fact]
    public void TargetsMustHaveTheLogitsShapeWithoutTheClasses()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3, 5), new Tensor(3, 2)));
        Assert.Contains("(2, 3, 5)", e.Message);
        Assert.Contains("(3, 2)", e.Message);
    }
}
