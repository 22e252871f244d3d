using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Layers;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Sequences;

/// <summary>names-mlp: makemore's MLP over a causal window (the window's gradient: LayerGradientTests).</summary>
public class NamesMlpTests
{
    [Fact]
    public void TheWindowPutsEachPositionsLatestVectorsSideBySide()
    {
        var window = new CausalWindow(2);
        window.Build([3, 2], new Rng(1));
        var y = window.Forward(Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 3, 2), training: false);
        Assert.True(y.HasShape(1, 3, 4), y.ShapeString);
        Assert.Equal([1, 2, 0, 0, 3, 4, 1, 2, 5, 6, 3, 4], y.ToArray());
        // A smaller batch after a larger one: the padding is written again, not left over.
        window.Forward(DoubleGradient.Random(2, 1f, 4, 3, 2), training: false);
        Assert.Equal([1, 2, 0, 0, 3, 4, 1, 2, 5, 6, 3, 4], window.Forward(Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 3, 2), training: false).ToArray());
    }

    [Fact]
    public void AWindowWiderThanARowAllowsIsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new CausalWindow(Limits.MaxLayerWidth).OutputShape([4, 2]));
        Assert.StartsWith("CausalWindow(size=", e.Message);
        Assert.Contains("more than", e.Message);
    }

    /// <summary>makemore's sizes on names: embedding 27 × 64, a window of the 16 positions, 1024 → 64 tanh, 64 → 27.</summary>
    [Fact]
    public void NamesMlpIsMakemoresMlpAndSeesNoFutureToken()
    {
        var recipe = PresetCatalog.Get("names-mlp");
        var data = recipe.Data.Load(new DatasetManager(), recipe.Seed);
        var model = recipe.CreateModel(data).Build([16], recipe.Seed);
        Assert.Equal(["Embedding", "CausalWindow", "Dense", "Tanh", "Dense"], model.Layers.Select(l => l.TypeName));
        Assert.Equal(27 * 64 + 16 * 64 * 64 + 64 + 64 * 27 + 27, model.Parameters.Sum(p => (long)p.Value.Length));
        Assert.Equal("embedding 64, window of 16 positions, tanh 64, head 27", recipe.DescribeModel(data));

        var (x, _) = data.Test.Take(2);
        var before = model.Forward(x, training: false).ToArray();
        // Change the second name's token at position 5: the logits of positions 0..4 stay, position 5's change.
        x[1, 5] = (x[1, 5] + 1) % 27;
        var after = model.Forward(x, training: false).ToArray();
        int row = 16 * 27;
        Assert.Equal(before.AsSpan(0, row + 5 * 27).ToArray(), after.AsSpan(0, row + 5 * 27).ToArray());
        Assert.NotEqual(before.AsSpan(row + 5 * 27, 27).ToArray(), after.AsSpan(row + 5 * 27, 27).ToArray());

        using var temp = new TempFolder();
        string path = temp.File("mlp.safetensors");
        ModelFile.Save(path, model);
        var (loaded, _) = ModelFile.Load(path);
        Assert.Equal(after, loaded.Forward(x, training: false).ToArray());
    }

    /// <summary>One short epoch on 2,000 names takes the test loss well below log 27 = 3.30, the same bits at 1 and 2 threads.</summary>
    [Fact]
    public void NamesMlpLearnsAndGivesTheSameBitsOnOneAndTwoThreads()
    {
        var recipe = PresetCatalog.Get("names-mlp") with { Epochs = 1, Data = PresetCatalog.Get("names-mlp").Data with { TrainLimit = 2000, TestLimit = 200 } };
        var one = TrainingJob.Run(recipe, new TrainingJobOptions { Threads = 1 });
        var two = TrainingJob.Run(recipe, new TrainingJobOptions { Threads = 2 });
        Assert.InRange(one.Test.Loss, 2.0, 3.0);
        Assert.Equal(one.Test.Loss, two.Test.Loss);
    }
}
