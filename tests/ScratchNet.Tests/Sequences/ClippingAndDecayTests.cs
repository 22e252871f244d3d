using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Sequences;

/// <summary>Gradient clipping by global norm, and which parameters AdamW decays (nanoGPT's groups), on exact small cases.</summary>
public class ClippingAndDecayTests
{
    private static Parameter WithGradient(string name, params float[] gradient)
    {
        var p = new Parameter(name, new Tensor(gradient.Length));
        gradient.CopyTo(p.Gradient.Span);
        return p;
    }

    [Fact]
    public void TheNormIsOverAllParametersTogether()
    {
        // ‖(3, 4, 0, 12)‖ = 13
        Parameter[] ps = [WithGradient("a", 3f, 4f), WithGradient("b", 0f, 12f)];
        Assert.Equal(13.0, GradientClipping.GlobalNorm(ps), 12);
        double norm = GradientClipping.ClipByGlobalNorm(ps, 1f);
        Assert.Equal(13.0, norm, 12);
        float s = (float)(1 / (13 + GradientClipping.Guard));
        Assert.Equal([3f * s, 4f * s], ps[0].Gradient.ToArray());
        Assert.Equal([0f, 12f * s], ps[1].Gradient.ToArray());
        Assert.Equal(1.0, GradientClipping.GlobalNorm(ps), 5);
    }

    [Fact]
    public void AGradientWithinTheNormIsLeftAlone()
    {
        Parameter[] ps = [WithGradient("a", 3f, 4f)];
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(ps, 5.5f), 12);
        Assert.Equal([3f, 4f], ps[0].Gradient.ToArray());
        Parameter[] zero = [WithGradient("z", 0f, 0f)];
        Assert.Equal(0.0, GradientClipping.ClipByGlobalNorm(zero, 1f));
        Assert.Equal([0f, 0f], zero[0].Gradient.ToArray());
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ANormThatIsNotPositiveIsRefused(float bad)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([WithGradient("a", 1f)], bad));
        var options = new TrainerOptions { Loss = new MeanSquaredError(), Optimizer = new Sgd(0.1f), ClipGradientNorm = bad };
        var model = new Sequential(new Dense(1));
        var data = new InMemoryDataset("one", Tensor.FromArray([1f], 1, 1), Tensor.FromArray([0f], 1), classCount: 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, options).Fit(data));
        Assert.Contains("clipping norm must be a positive number", e.Message);
    }

    /// <summary>
    /// One SGD step through the trainer: W = (1, 1), x = (3, 4), y = 0, so ŷ = 7, dL/dW = 2·7·(3, 4) = (42, 56),
    /// ‖g‖ = 70; clipped at 1 the step is 0.1·(0.6, 0.8).
    /// </summary>
    [Fact]
    public void TheTrainerClipsBeforeTheStep()
    {
        var model = new Sequential(new Dense(1, new Constant(1f), useBias: false));
        var data = new InMemoryDataset("one", Tensor.FromArray([3f, 4f], 1, 2), Tensor.FromArray([0f], 1), classCount: 0);
        new Trainer(model, new TrainerOptions
        {
            Loss = new MeanSquaredError(), Optimizer = new Sgd(0.1f), Epochs = 1, BatchSize = 1, Seed = 1, ClipGradientNorm = 1f,
        }).Fit(data);
        double s = 70 / (70 + GradientClipping.Guard);
        Assert.Equal(1 - 0.1 * 0.6 * s, model.Parameters[0].Value[0], 6);
        Assert.Equal(1 - 0.1 * 0.8 * s, model.Parameters[0].Value[1], 6);
    }

    /// <summary>nanoGPT's groups: the matrices of Dense layers and attention decay; biases, norms and embeddings do not.</summary>
    [Fact]
    public void OnlyWeightMatricesDecay()
    {
        var model = SequenceLayerTests.TinyGpt(blocks: 1).Build([6], 2);
        var decaying = model.Layers.SelectMany((l, i) => l.Parameters.Where(p => p.Decays).Select(p => $"{i}.{p.Name}")).ToArray();
        Assert.Equal(["2.attn.qkv.weight", "2.attn.proj.weight", "2.mlp.fc.weight", "2.mlp.proj.weight", "4.weight"], decaying);
    }

    /// <summary>
    /// With zero gradients AdamW's Adam part moves nothing (m = v = 0), so one step shows the decay alone:
    /// θ(1 - ηλ) for weights, exactly θ for the rest.
    /// </summary>
    [Fact]
    public void AdamWShrinksOnlyTheDecayingParameters()
    {
        var model = SequenceLayerTests.TinyGpt(blocks: 1).Build([6], 2);
        var parameters = model.Parameters;
        foreach (var p in parameters)
        {
            p.Gradient.Clear();
            for (int i = 0; i < p.Value.Length; i++) p.Value[i] = 0.5f + 0.01f * (i % 7);
        }
        var before = parameters.Select(p => p.Value.ToArray()).ToArray();
        new AdamW(learningRate: 0.1f, weightDecay: 0.5f).Step(parameters);
        for (int k = 0; k < parameters.Count; k++)
        {
            float shrink = parameters[k].Decays ? 1f - 0.1f * 0.5f : 1f;
            Assert.Equal(before[k].Select(v => v * shrink).ToArray(), parameters[k].Value.ToArray());
        }
    }
}
