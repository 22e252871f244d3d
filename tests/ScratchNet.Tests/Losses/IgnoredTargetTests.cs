using ScratchNet.Losses;
using ScratchNet.Tensors;
using ScratchNet.Tests.Layers;

namespace ScratchNet.Tests.Losses;

/// <summary>Softmax cross-entropy skips targets of −1 (the padding of sequences), as PyTorch's ignore_index.</summary>
public class IgnoredTargetTests
{
    private static double Reference(double[] z, double[] t, int classes)
    {
        double total = 0;
        int counted = 0;
        for (int r = 0; r < t.Length; r++)
        {
            if (t[r] == Targets.Ignored) continue;
            double max = double.MinValue, sum = 0;
            for (int c = 0; c < classes; c++) max = Math.Max(max, z[r * classes + c]);
            for (int c = 0; c < classes; c++) sum += Math.Exp(z[r * classes + c] - max);
            total += Math.Log(sum) - (z[r * classes + (int)t[r]] - max);
            counted++;
        }
        return counted == 0 ? 0 : total / counted;
    }

    [Fact]
    public void IgnoredPositionsCountInNeitherTheLossNorTheGradient()
    {
        var logits = DoubleGradient.Random(3, 1.5f, 2, 4, 5);
        var targets = Tensor.FromArray([1, 4, -1, -1, 0, 2, 3, -1], [2, 4]);
        var loss = new SoftmaxCrossEntropy();
        float value = loss.Forward(logits, targets);
        Assert.Equal(5, loss.CountedRows);
        Assert.Equal(Reference(DoubleGradient.ToDouble(logits), DoubleGradient.ToDouble(targets), 5), value, 5);
        double error = DoubleGradient.CheckLoss(new SoftmaxCrossEntropy(), logits, targets, (z, t) => Reference(z, t, 5));
        Assert.True(error < DoubleGradient.Tolerance, $"relative error {error}");
        var g = loss.Backward();
        for (int c = 0; c < 5; c++)
        {
            Assert.Equal(0f, g[2 * 5 + c]);
            Assert.Equal(0f, g[7 * 5 + c]);
        }
    }

    [Fact]
    public void AllIgnoredIsZeroLossAndZeroGradient()
    {
        var loss = new SoftmaxCrossEntropy();
        Assert.Equal(0f, loss.Forward(DoubleGradient.Random(1, 1f, 3, 4), Tensor.FromArray([-1, -1, -1], [3])));
        Assert.All(loss.Backward().Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OtherNegativeTargetsAreStillRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(DoubleGradient.Random(1, 1f, 2, 3), Tensor.FromArray([0, -2], [2])));
        Assert.Contains("target 1 is -2, not a class index in [0, 3) or -1 (ignored)", e.Message);
    }
}
