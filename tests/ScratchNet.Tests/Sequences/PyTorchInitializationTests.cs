using ScratchNet.Layers;
using ScratchNet.Layers.Initializers;
using ScratchNet.Tensors;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Sequences;

/// <summary>makemore's starting values (PyTorch's module defaults) for the transformer, chosen by <see cref="LanguageModelRecipe.Initialization"/>.</summary>
public class PyTorchInitializationTests
{
    /// <summary>A block given FanInUniform draws W and b of each linear layer from U(±1/√fan_in) (C = 8: ±1/√8 and, for the MLP's output, ±1/√32).</summary>
    [Fact]
    public void A_block_draws_weights_and_biases_from_the_fan_in_bound()
    {
        var block = new TransformerBlock(2, new FanInUniform(), new FanInUniform());
        block.Build([5, 8], new Rng(3));
        foreach (var dense in new[] { block.Attention.QkvProjection, block.Attention.OutputProjection, block.MlpHidden, block.MlpOutput })
        {
            float bound = 1f / MathF.Sqrt(dense.Inputs);
            var bias = dense.Bias!.Value.ToArray();
            Assert.All(dense.Weight.Value.ToArray(), w => Assert.InRange(w, -bound, bound));
            Assert.All(bias, b => Assert.InRange(b, -bound, bound));
            Assert.True(bias.Count(b => b != 0) == bias.Length, "every bias starts away from 0");
            // Spread over the bound, not squeezed near 0: the largest of ≥ 24 draws is past half of it.
            Assert.True(dense.Weight.Value.ToArray().Max(MathF.Abs) > bound / 2);
        }
        Assert.Equal(1f, block.AttentionNorm.Gamma.Value.ToArray().Min());
        Assert.Equal(0f, block.AttentionNorm.Beta.Value.ToArray().Max(MathF.Abs));
    }

    /// <summary>The initialisers are in the spec, so a block made from it starts from the same bits; a default block's spec does not name them.</summary>
    [Fact]
    public void The_spec_keeps_the_initialisers()
    {
        var block = new TransformerBlock(2, new FanInUniform(), new FanInUniform());
        Assert.Equal("FanInUniform", block.Spec.Settings["weightInit"]);
        Assert.Equal("FanInUniform", block.Spec.Settings["biasInit"]);
        var again = (TransformerBlock)LayerFactory.Create(block.Spec);
        block.Build([5, 8], new Rng(4));
        again.Build([5, 8], new Rng(4));
        Assert.Equal(block.Parameters.Select(p => p.Name), again.Parameters.Select(p => p.Name));
        for (int i = 0; i < block.Parameters.Count; i++)
            Assert.Equal(block.Parameters[i].Value.ToArray(), again.Parameters[i].Value.ToArray());

        Assert.False(new TransformerBlock(2).Spec.Settings.ContainsKey("weightInit"));
        Assert.False(new CausalSelfAttention(2).Spec.Settings.ContainsKey("biasInit"));
        var dense = (Dense)LayerFactory.Create(new Dense(3, new FanInUniform(), biasInit: new FanInUniform()).Spec);
        Assert.Equal("FanInUniform", dense.BiasInit!.Name);
        Assert.Null(new Dense(3).BiasInit);
    }

    /// <summary>names-transformer with Initialization = pytorch starts as makemore does: embeddings N(0, 1), every linear layer U(±1/√fan_in).</summary>
    [Fact]
    public void The_pytorch_initialization_starts_from_pytorchs_defaults()
    {
        var recipe = PresetCatalog.NamesTransformer with { Model = new LanguageModelRecipe { Kind = "transformer", Initialization = "pytorch" } };
        var data = recipe.Data.Load(new ScratchNet.Data.DatasetManager(), recipe.Seed);
        var model = recipe.Model.Build(data, recipe.OutputUnits(data));
        model.Build(data.Train.SampleShape, new Rng(recipe.Seed));
        var embedding = Assert.IsType<Embedding>(model.Layers[0]);
        Assert.Equal(1f, embedding.InitStd);
        var table = embedding.Weight.Value.ToArray();
        double variance = table.Average(w => (double)w * w);
        Assert.InRange(variance, 0.8, 1.2); // 27 x 64 draws of N(0, 1)
        Assert.Equal(1f, Assert.IsType<PositionalEmbedding>(model.Layers[1]).InitStd);
        Assert.All(model.Layers.OfType<TransformerBlock>(), b => Assert.Equal("FanInUniform", b.WeightInit!.Name));
        Assert.Equal("FanInUniform", Assert.IsType<Dense>(model.Layers[^1]).WeightInit.Name);
    }

    [Fact]
    public void An_unknown_initialization_is_named_in_the_error()
    {
        var recipe = new LanguageModelRecipe { Kind = "transformer", Initialization = "orthogonal" };
        Assert.Equal("Unknown initialization 'orthogonal'; known: default, pytorch.", Assert.Throws<ArgumentException>(recipe.Validate).Message);
    }
}
