using ScratchNet.Losses;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Losses;

/// <summary>
/// SoftmaxCrossEntropy computes its value and its gradient in one pass per row over exp(z - max).
/// Its probabilities and gradient must be the bits of the two passes it replaced (softmax, then
/// (p - onehot) / N in Backward), written out here, on odd sizes, with ignored rows and class weights.
/// </summary>
public class SoftmaxCrossEntropyOnePassTests
{
    public static TheoryData<int, int, bool> Cases => new()
    {
        { 0, 7, false }, { 1, 1, false }, { 7, 7, false }, { 33, 33, true }, { 1, 257, false }, { 257, 10, true }, { 7, 257, true },
    };

    [Theory, MemberData(nameof(Cases))]
    public void GivesTheBitsOfSoftmaxThenItsGradient(int rows, int classes, bool weighted)
    {
        var rng = new Rng((ulong)(rows * 1000 + classes));
        var z = new Tensor(rows, classes);
        foreach (ref float v in z.Span) v = rng.NextUniform(-8f, 8f);
        var t = new Tensor(rows);
        for (int b = 0; b < rows; b++) t.Span[b] = b % 5 == 3 ? Targets.Ignored : rng.NextInt(classes);
        var weights = weighted ? Enumerable.Range(0, classes).Select(c => 0.5f + 0.25f * (c % 4)).ToArray() : null;
        var loss = new SoftmaxCrossEntropy { ClassWeights = weights };

        float value = loss.Forward(z, t);
        var g = loss.Backward();

        var (p, expected) = TwoPasses(z, t, weights);
        Assert.Equal(Bits(p), Bits(loss.Probabilities!.Span));
        Assert.Equal(Bits(expected), Bits(g.Span));
        Assert.True(float.IsFinite(value));
    }

    [Fact]
    public void AShorterLastBatchReusesTheBuffers()
    {
        var loss = new SoftmaxCrossEntropy();
        Tensor full = new(64, 10), last = new(13, 10), fullTargets = new(64), lastTargets = new(13);
        loss.Forward(full, fullTargets);
        loss.Backward();
        loss.Forward(last, lastTargets);
        var g = loss.Backward();
        Assert.Equal([13, 10], g.ShapeArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        loss.Forward(full, fullTargets);
        long after = GC.GetAllocatedBytesForCurrentThread();
        // New 64 x 10 buffers would take over 5,000 bytes; two views of the stored ones take a few hundred.
        Assert.True(after - before < 1000, $"{after - before} bytes allocated switching back to the full batch");
    }

    /// <summary>The former arithmetic: p = e · (1/Σe) per row, then g = p · (1/N), g_t -= 1/N, g ·= w_t; ignored rows 0.</summary>
    private static (float[] P, float[] G) TwoPasses(Tensor logits, Tensor targets, float[]? weights)
    {
        int classes = logits.Dim(-1), rows = logits.Length / classes;
        var p = new float[logits.Length];
        int counted = 0;
        for (int b = 0; b < rows; b++) if (targets.Span[b] != Targets.Ignored) counted++;
        for (int b = 0; b < rows; b++)
        {
            var z = logits.Span.Slice(b * classes, classes);
            var row = p.AsSpan(b * classes, classes);
            float max = TensorMath.Max(z);
            TensorMath.Add(z, -max, row);
            TensorMath.Exp(row, row);
            double sum = TensorMath.Sum(row);
            TensorMath.Scale(row, (float)(1.0 / sum), row);
        }
        float scale = counted == 0 ? 0f : 1f / counted;
        var g = new float[p.Length];
        TensorMath.Scale(p, scale, g);
        for (int b = 0; b < rows; b++)
        {
            var row = g.AsSpan(b * classes, classes);
            float v = targets.Span[b];
            if (v == Targets.Ignored) { row.Clear(); continue; }
            row[(int)v] -= scale;
            if (weights is not null) TensorMath.Scale(row, weights[(int)v], row);
        }
        return (p, g);
    }

    private static int[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
}
