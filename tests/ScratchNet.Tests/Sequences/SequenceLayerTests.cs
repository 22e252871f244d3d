using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Layers;

namespace ScratchNet.Tests.Sequences;

/// <summary>The sequence layers' shapes, errors, model files, and Dense over leading dimensions.</summary>
public class SequenceLayerTests
{
    /// <summary>A small GPT: ids (T) → embeddings + positions → blocks → LayerNorm → logits (T, V).</summary>
    internal static Sequential TinyGpt(int vocabulary = 11, int steps = 6, int width = 8, int heads = 2, int blocks = 2) =>
        new(
        [
            new Embedding(vocabulary, width), new PositionalEmbedding(steps + 2),
            .. Enumerable.Range(0, blocks).Select(_ => (Layer)new TransformerBlock(heads)),
            new LayerNorm(), new Dense(vocabulary),
        ]);

    [Fact]
    public void DenseOverLeadingDimensionsIsTheSameProductOnTheRows()
    {
        var x = DoubleGradient.Random(1, 1f, 3, 7, 5);
        var sequence = new Dense(9);
        sequence.Build([7, 5], new Rng(2));
        var rows = new Dense(9);
        rows.Build([5], new Rng(2));
        var y = sequence.Forward(x, training: true);
        Assert.True(y.HasShape(3, 7, 9), y.ShapeString);
        Assert.Equal(rows.Forward(x.Reshape(21, 5), training: true).ToArray(), y.ToArray());
        var dy = DoubleGradient.Random(3, 1f, 3, 7, 9);
        var dx = sequence.Backward(dy);
        Assert.True(dx.HasShape(3, 7, 5), dx.ShapeString);
        Assert.Equal(rows.Backward(dy.Reshape(21, 9)).ToArray(), dx.ToArray());
        Assert.Equal(rows.Weight.Gradient.ToArray(), sequence.Weight.Gradient.ToArray());
        Assert.Equal(rows.Bias!.Gradient.ToArray(), sequence.Bias!.Gradient.ToArray());
    }

    [Fact]
    public void ATinyGptHasTheShapesOfALanguageModel()
    {
        var model = TinyGpt().Build([6], 3);
        Assert.Equal([6, 11], model.OutputShape);
        var ids = Tensor.FromArray([0, 1, 2, 3, 4, 5, 10, 9, 8, 7, 6, 5], 2, 6);
        var logits = model.Forward(ids, training: true);
        Assert.True(logits.HasShape(2, 6, 11), logits.ShapeString);
        var loss = new SoftmaxCrossEntropy();
        float l = loss.Forward(logits, Tensor.FromArray([1, 2, 3, 4, 5, 6, 9, 8, 7, 6, 5, 4], 2, 6));
        Assert.InRange(l, 1.5f, 4f); // near log 11 = 2.4 at the start
        model.Backward(loss.Backward(), inputGradient: false);
        Assert.All(model.Parameters, p => Assert.Contains(p.Gradient.ToArray(), v => v != 0f));
    }

    [Theory]
    [InlineData(11f, "11")]
    [InlineData(-1f, "-1")]
    [InlineData(2.5f, "2.5")]
    [InlineData(float.NaN, "NaN")]
    public void AnIdOutsideTheVocabularyIsRefusedWithItsPosition(float bad, string shown)
    {
        var layer = new Embedding(11, 4);
        layer.Build([3], new Rng(1));
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.FromArray([0, 1, 2, 3, bad, 5], 2, 3), training: false));
        Assert.Equal($"Embedding(vocabulary=11, dimensions=4, initStd=0.02): input (1, 1) is {shown}, not a token id in [0, 11).", e.Message);
    }

    /// <summary>What the attention keeps per sample (Q K V, the H·T² weights, Z, y) is counted before building: 5TC + HT².</summary>
    [Fact]
    public void TheAttentionCostCountsTheTSquaredWeights()
    {
        var cost = new CausalSelfAttention(2).Cost([60000, 64]);
        Assert.Equal(5L * 60000 * 64 + 2L * 60000 * 60000, cost.OutputFloats);
        Assert.Equal(4L * 64 * 64 + 4 * 64, cost.StoredFloats);
        Assert.Equal(4L * 60000 * 64 * 64 + 2L * 60000 * 60000 * 64, cost.MultiplyAdds);
    }

    [Fact]
    public void ASequenceLongerThanTheContextIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new PositionalEmbedding(4)).Build([5, 3], 1));
        Assert.Contains("5 positions, more than the context length 4", e.Message);
    }

    [Fact]
    public void ParametersOfCompositeLayersHaveUniqueNames()
    {
        var block = new TransformerBlock(2);
        block.Build([4, 8], new Rng(1));
        string[] names = block.Parameters.Select(p => p.Name).ToArray();
        Assert.Equal(
        [
            "ln1.gamma", "ln1.beta", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias",
            "ln2.gamma", "ln2.beta", "mlp.fc.weight", "mlp.fc.bias", "mlp.proj.weight", "mlp.proj.bias",
        ], names);
        Assert.Same(block.Attention.QkvProjection.Weight.Value, block.Parameters[2].Value);
        Assert.Same(block.Attention.QkvProjection.Weight.Gradient, block.Parameters[2].Gradient);
    }

    [Fact]
    public void AModelFileRebuildsTheSameNetwork()
    {
        using var temp = new TempFolder();
        var model = new Sequential(
        [
            new Embedding(11, 8), new PositionalEmbedding(6), new TransformerBlock(2), new CausalSelfAttention(4),
            new LayerNorm(1e-4f), new Dense(16), new SiLU(), new Softplus(), new Dropout(0.1f), new Dense(11),
        ]).Build([6], 5);
        string path = temp.File("gpt.safetensors");
        ModelFile.Save(path, model);
        var (loaded, _) = ModelFile.Load(path);
        Assert.Equal(model.Layers.Select(l => l.Spec.ToString()), loaded.Layers.Select(l => l.Spec.ToString()));
        var ids = Tensor.FromArray([0, 1, 2, 3, 4, 5, 10, 9, 8, 7, 6, 5], 2, 6);
        Assert.Equal(model.Forward(ids, training: false).ToArray(), loaded.Forward(ids, training: false).ToArray());
    }

    /// <summary>
    /// The whole path learns: each sequence counts up modulo 5 from a random start, so the next id is
    /// fixed by the current one; 150 AdamW steps with clipping take the loss from about log 5 = 1.6 to near 0.
    /// </summary>
    [Fact]
    public void ATinyGptLearnsToCount()
    {
        const int batch = 8, steps = 6, vocabulary = 5;
        var model = TinyGpt(vocabulary, steps, width: 16, heads: 2, blocks: 1).Build([steps], 4);
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new ScratchNet.Optimizers.AdamW(1e-2f, 0.9f, 0.99f, weightDecay: 0.1f);
        var rng = new Rng(5);
        var ids = new Tensor(batch, steps);
        var targets = new Tensor(batch, steps);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            for (int b = 0; b < batch; b++)
            {
                int start = rng.NextInt(vocabulary);
                for (int t = 0; t < steps; t++)
                {
                    ids[b * steps + t] = (start + t) % vocabulary;
                    targets[b * steps + t] = (start + t + 1) % vocabulary;
                }
            }
            last = loss.Forward(model.Forward(ids, training: true), targets);
            if (step == 0) first = last;
            model.Backward(loss.Backward(), inputGradient: false);
            ScratchNet.Optimizers.GradientClipping.ClipByGlobalNorm(model.Parameters, 1f);
            optimizer.Step(model.Parameters);
        }
        Assert.InRange(first, 1.2f, 2.2f);
        Assert.True(last < 0.05f, $"loss {first} → {last}");
    }

    [Fact]
    public void TrainingAStepAllocatesNothingOnceWarm()
    {
        var model = TinyGpt().Build([6], 3);
        var ids = Tensor.FromArray([0, 1, 2, 3, 4, 5, 10, 9, 8, 7, 6, 5], 2, 6);
        var targets = Tensor.FromArray([1, 2, 3, 4, 5, 6, 9, 8, 7, 6, 5, 4], 2, 6);
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new ScratchNet.Optimizers.AdamW(1e-3f, weightDecay: 0.1f);
        void Step()
        {
            loss.Forward(model.Forward(ids, training: true), targets);
            model.Backward(loss.Backward(), inputGradient: false);
            ScratchNet.Optimizers.GradientClipping.ClipByGlobalNorm(model.Parameters, 1f);
            optimizer.Step(model.Parameters);
        }
        using (Compute.UseThreads(1))
        {
            Step();
            Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"a warm training step allocated {allocated} bytes");
        }
    }
}
