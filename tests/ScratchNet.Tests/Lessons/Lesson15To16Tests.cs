using ScratchNet.Layers;
using ScratchNet.Lessons;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Lessons;

public class Lesson15To16Tests
{
    private static void Copy(double[,] from, Parameter to)
    {
        int cols = from.GetLength(1);
        for (int i = 0; i < from.GetLength(0); i++) for (int j = 0; j < cols; j++) to.Value[i * cols + j] = (float)from[i, j];
    }

    private static void Copy(double[] from, Parameter to)
    {
        for (int i = 0; i < from.Length; i++) to.Value[i] = (float)from[i];
    }

    private static Tensor Input(double[,] x)
    {
        int t = x.GetLength(0), c = x.GetLength(1);
        var input = new Tensor(1, t, c);
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) input[i * c + j] = (float)x[i, j];
        return input;
    }

    private static void AssertSame(double[,] expected, Tensor actual, int digits)
    {
        int c = expected.GetLength(1);
        for (int i = 0; i < expected.GetLength(0); i++) for (int j = 0; j < c; j++) Assert.Equal(expected[i, j], actual[i * c + j], digits);
    }

    [Fact]
    public void SelfAttentionLessonShowsMaskScaleAndHeads()
    {
        var r = Lesson15SelfAttention.Run(LessonTestContext.Create());
        Assert.True(r.AveragingError < 1e-12);
        Assert.True(r.RowSumError < 1e-12);
        Assert.Equal(0, r.FutureWeight);
        Assert.Equal(0, r.CausalityChange);
        Assert.InRange(r.UnscaledScoreSpread, 7, 9);      // √64 = 8
        Assert.InRange(r.ScaledScoreSpread, 0.9, 1.1);
    }

    [Fact]
    public void HandMultiHeadAttentionIsTheLibrarysCausalSelfAttention()
    {
        const int t = 7, c = 12, heads = 3;
        var rng = new Rng(150);
        var x = Lesson15SelfAttention.Random(rng, t, c, 1);
        var wqkv = Lesson15SelfAttention.Random(rng, c, 3 * c, 0.3);
        var bqkv = Lesson15SelfAttention.Random(rng, 1, 3 * c, 0.1);
        var wo = Lesson15SelfAttention.Random(rng, c, c, 0.3);
        var bo = Lesson15SelfAttention.Random(rng, 1, c, 0.1);
        double[] Row(double[,] m) => Enumerable.Range(0, m.GetLength(1)).Select(j => m[0, j]).ToArray();
        var expected = Lesson15SelfAttention.MultiHead(x, wqkv, Row(bqkv), wo, Row(bo), heads);

        var attention = new CausalSelfAttention(heads);
        attention.Build([t, c], new Rng(1));
        Copy(wqkv, attention.QkvProjection.Weight);
        Copy(Row(bqkv), attention.QkvProjection.Bias!);
        Copy(wo, attention.OutputProjection.Weight);
        Copy(Row(bo), attention.OutputProjection.Bias!);
        AssertSame(expected, attention.Forward(Input(x), training: false), 5);
    }

    [Fact]
    public void TransformerBlockLessonShowsNormIdentityAndTheResidualPath()
    {
        var r = Lesson16TransformerBlock.Run(LessonTestContext.Create());
        Assert.True(r.NormalisedMeanError < 1e-12);
        Assert.True(r.NormalisedVarianceError < 1e-4);
        Assert.Equal(12 * 8 * 8 + 13 * 8, r.Parameters);
        Assert.True(r.RelativeChange < 0.05);
        Assert.True(r.ResidualGradient > 0.5 && r.PlainGradient < 1e-2 * r.ResidualGradient, $"{r.ResidualGradient} vs {r.PlainGradient}");
    }

    [Fact]
    public void HandTransformerBlockIsTheLibrarysTransformerBlock()
    {
        const int t = 5, c = 8, heads = 2;
        var rng = new Rng(160);
        var x = Lesson15SelfAttention.Random(rng, t, c, 1);
        var w = Lesson16TransformerBlock.Weights.Initial(rng, c);
        // Larger than the start so that every part of the block shows in the output.
        foreach (var m in new[] { w.Wqkv, w.Wo, w.W1, w.W2 })
            for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) m[i, j] *= 20;
        for (int j = 0; j < c; j++) { w.Gamma1[j] = 1 + 0.3 * rng.NextGaussian(); w.Beta2[j] = 0.2 * rng.NextGaussian(); w.B2[j] = 0.1 * rng.NextGaussian(); }
        var expected = Lesson16TransformerBlock.Block(x, w, heads);

        var block = new TransformerBlock(heads);
        block.Build([t, c], new Rng(1));
        Copy(w.Gamma1, block.AttentionNorm.Gamma); Copy(w.Beta1, block.AttentionNorm.Beta);
        Copy(w.Wqkv, block.Attention.QkvProjection.Weight); Copy(w.Bqkv, block.Attention.QkvProjection.Bias!);
        Copy(w.Wo, block.Attention.OutputProjection.Weight); Copy(w.Bo, block.Attention.OutputProjection.Bias!);
        Copy(w.Gamma2, block.MlpNorm.Gamma); Copy(w.Beta2, block.MlpNorm.Beta);
        Copy(w.W1, block.MlpHidden.Weight); Copy(w.B1, block.MlpHidden.Bias!);
        Copy(w.W2, block.MlpOutput.Weight); Copy(w.B2, block.MlpOutput.Bias!);
        // 4 digits: the lesson's erf is Abramowitz and Stegun's 7.1.26 (error below 1.5e-7), the library's tighter.
        AssertSame(expected, block.Forward(Input(x), training: false), 4);
    }
}
