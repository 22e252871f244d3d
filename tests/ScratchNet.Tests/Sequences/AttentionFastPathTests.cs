using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Tests.Layers;

namespace ScratchNet.Tests.Sequences;

/// <summary>
/// <see cref="CausalSelfAttention"/>'s fast path (GEMMs on strided views, heads on the worker pool)
/// against <see cref="AttentionReference"/> on odd sizes; the causal mask; the same bits on 1 and 2 threads.
/// </summary>
[Trait("Category", "Kernels")]
public class AttentionFastPathTests
{
    /// <summary>Values within 2e-5 of the reference's, relative to max(1, |reference|): float sums against double ones.</summary>
    private const double Tolerance = 2e-5;

    private static CausalSelfAttention Built(int steps, int width, int heads, ulong seed)
    {
        var layer = new CausalSelfAttention(heads);
        layer.Build([steps, width], new Rng(seed));
        DoubleGradient.Random(seed + 1, 0.5f, 3 * width).CopyTo(layer.QkvProjection.Bias!.Value);
        DoubleGradient.Random(seed + 2, 0.5f, width).CopyTo(layer.OutputProjection.Bias!.Value);
        return layer;
    }

    // T = 1, 7, 33; C = 20 (heads of 5) and 15 (heads of 3): neither a multiple of any vector width.
    [Theory]
    [InlineData(2, 1, 20, 4)]
    [InlineData(3, 7, 20, 4)]
    [InlineData(2, 33, 15, 5)]
    [InlineData(1, 33, 20, 1)]
    public void FastPathEqualsTheReference(int batch, int steps, int width, int heads)
    {
        var layer = Built(steps, width, heads, 40);
        var x = DoubleGradient.Random(41, 1.5f, batch, steps, width);
        var dy = DoubleGradient.Random(42, 1f, batch, steps, width);
        var y = layer.Forward(x, training: true).Clone();
        var dx = layer.Backward(dy).Clone();

        Tensor wq = layer.QkvProjection.Weight.Value, bq = layer.QkvProjection.Bias!.Value;
        Tensor wo = layer.OutputProjection.Weight.Value, bo = layer.OutputProjection.Bias!.Value;
        AssertClose("y", AttentionReference.Forward(x, wq, bq, wo, bo, heads), y);
        var (gx, gwq, gbq, gwo, gbo) = AttentionReference.Backward(x, wq, bq, wo, bo, heads, dy);
        AssertClose("dx", gx, dx);
        AssertClose("dW_qkv", gwq, layer.QkvProjection.Weight.Gradient);
        AssertClose("db_qkv", gbq, layer.QkvProjection.Bias.Gradient);
        AssertClose("dW_o", gwo, layer.OutputProjection.Weight.Gradient);
        AssertClose("db_o", gbo, layer.OutputProjection.Bias.Gradient);
    }

    [Fact]
    public void AttentionWeightsAreCausalRowsThatSumToOne()
    {
        var layer = Built(7, 6, 2, 50);
        layer.Forward(DoubleGradient.Random(51, 2f, 2, 7, 6), training: false);
        var p = layer.AttentionWeights!;
        Assert.True(p.HasShape(2, 2, 7, 7), p.ShapeString);
        for (int row = 0; row < 2 * 2 * 7; row++)
        {
            int i = row % 7;
            double sum = 0;
            for (int j = 0; j < 7; j++)
            {
                float v = p[row * 7 + j];
                if (j > i) Assert.Equal(0f, v);
                else Assert.True(v > 0, $"row {row}: P[{i}, {j}] = {v}");
                sum += v;
            }
            Assert.Equal(1.0, sum, 5);
        }
    }

    /// <summary>Changing the inputs after position i leaves outputs 0..i exactly as they were, in the layer and in a whole block.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnOutputDoesNotDependOnLaterPositions(bool block)
    {
        const int steps = 9, width = 8, cut = 4;
        Layer layer = block ? new TransformerBlock(2) : new CausalSelfAttention(2);
        layer.Build([steps, width], new Rng(60));
        var x = DoubleGradient.Random(61, 1f, 2, steps, width);
        var before = layer.Forward(x, training: false).Clone();
        var changed = x.Clone();
        var noise = DoubleGradient.Random(62, 5f, 2, steps, width);
        for (int b = 0; b < 2; b++)
            for (int t = cut + 1; t < steps; t++)
                for (int c = 0; c < width; c++)
                    changed[(b * steps + t) * width + c] += noise[(b * steps + t) * width + c];
        var after = layer.Forward(changed, training: false);
        int same = 0, moved = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < steps; t++)
                for (int c = 0; c < width; c++)
                {
                    int i = (b * steps + t) * width + c;
                    if (t <= cut) { Assert.Equal(before[i], after[i]); same++; }
                    else if (before[i] != after[i]) moved++;
                }
        Assert.Equal(2 * (cut + 1) * width, same);
        Assert.True(moved > 0, "the later outputs should change: the test would pass for a layer that ignores its input");
    }

    /// <summary>The gradient reaching position j comes only from outputs at j and after: a gradient on the last position alone reaches all, one on position 0 reaches only position 0.</summary>
    [Fact]
    public void TheGradientFlowsOnlyBackwardsInTime()
    {
        const int steps = 6, width = 4;
        var layer = Built(steps, width, 2, 70);
        layer.Forward(DoubleGradient.Random(71, 1f, 1, steps, width), training: true);
        var dy = new Tensor(1, steps, width);
        for (int c = 0; c < width; c++) dy[c] = 1f; // dL/dy at position 0 only
        var dx = layer.Backward(dy);
        for (int t = 1; t < steps; t++)
            for (int c = 0; c < width; c++) Assert.Equal(0f, dx[t * width + c]);
        Assert.Contains(Enumerable.Range(0, width), c => dx[c] != 0f);
    }

    [Theory]
    [InlineData("CausalSelfAttention")]
    [InlineData("TransformerBlock")]
    public void OneAndTwoThreadsGiveTheSameBits(string type)
    {
        (float[] Y, float[] Dx, float[][] Grads) Run(int threads)
        {
            using (Compute.UseThreads(threads))
            {
                Layer layer = type == "TransformerBlock" ? new TransformerBlock(4) : new CausalSelfAttention(4);
                layer.Build([33, 20], new Rng(80));
                var x = DoubleGradient.Random(81, 1f, 3, 33, 20);
                var y = layer.Forward(x, training: true).ToArray();
                var dx = layer.Backward(DoubleGradient.Random(82, 1f, 3, 33, 20)).ToArray();
                return (y, dx, layer.Parameters.Select(p => p.Gradient.ToArray()).ToArray());
            }
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        Assert.Equal(one.Grads.Length, two.Grads.Length);
        for (int i = 0; i < one.Grads.Length; i++) Assert.Equal(one.Grads[i], two.Grads[i]);
    }

    [Fact]
    public void AWidthThatIsNotAMultipleOfTheHeadsIsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new CausalSelfAttention(3)).Build([5, 8], 1));
        Assert.Contains("C = 8 is not a multiple of the 3 heads", e.Message);
    }

    private static void AssertClose(string what, Tensor expected, Tensor actual)
    {
        Assert.True(expected.SameShape(actual), $"{what}: {expected.ShapeString} vs {actual.ShapeString}");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            if (e > worst) { worst = e; at = i; }
        }
        Assert.True(worst <= Tolerance, $"{what}: element {at} is {(at >= 0 ? actual[at] : 0)}, the reference {(at >= 0 ? expected[at] : 0)} (relative error {worst:G3})");
    }
}
