using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// Every layer kind of the library, alone in a small model of odd sizes with random weights (and
/// random running statistics for the batch norms), exported to ONNX and run by OnnxRuntime: its
/// outputs equal ScratchNet's inference outputs to 1e-5.
/// </summary>
[Trait("Category", "Onnx")]
public class OnnxLayerTests(ITestOutputHelper output)
{
    /// <summary>Name, per-sample input shape, and the layers (the one under test, with a Dense or Conv2D before it when it has no weights of its own).</summary>
    private static readonly Dictionary<string, (int[] Shape, Func<Layer[]> Layers)> Cases = new()
    {
        ["Dense"] = ([7], () => [new Dense(5)]),
        ["Dense without bias"] = ([7], () => [new Dense(5, useBias: false)]),
        ["ReLU"] = ([7], () => [new Dense(6), new ReLU()]),
        ["Tanh"] = ([7], () => [new Dense(6), new Tanh()]),
        ["Sigmoid"] = ([7], () => [new Dense(6), new Sigmoid()]),
        ["GELU"] = ([7], () => [new Dense(6), new GELU()]),
        ["ELU"] = ([7], () => [new Dense(6), new ELU(0.7f)]),
        ["LeakyReLU"] = ([7], () => [new Dense(6), new LeakyReLU(0.05f)]),
        ["Softmax"] = ([7], () => [new Dense(6), new Softmax()]),
        ["Softmax of a 3-D sample"] = ([2, 3, 4], () => [new Softmax()]),
        ["Step"] = ([7], () => [new Dense(6), new Step()]),
        ["Identity"] = ([7], () => [new Identity()]),
        ["GaussianSample"] = ([7], () => [new Dense(6), new GaussianSample(3)]),
        ["Dropout"] = ([7], () => [new Dense(6), new Dropout(0.3f)]),
        ["Flatten"] = ([2, 3, 5], () => [new Flatten(), new Dense(3)]),
        ["BatchNorm"] = ([7], () => [new Dense(6), new BatchNorm(epsilon: 1e-3f)]),
        ["BatchNorm of a 3-D sample"] = ([2, 3, 5], () => [new BatchNorm()]),
        ["Conv2D"] = ([3, 9, 8], () => [new Conv2D(4, 3, stride: 2, padding: 1)]),
        ["Conv2D without bias"] = ([2, 7, 7], () => [new Conv2D(3, 5, useBias: false)]),
        ["MaxPool2D"] = ([2, 9, 7], () => [new Conv2D(3, 1), new MaxPool2D(2)]),
        ["MaxPool2D 3 stride 2"] = ([2, 9, 8], () => [new Conv2D(3, 1), new MaxPool2D(3, 2)]),
        ["AvgPool2D"] = ([2, 9, 7], () => [new Conv2D(3, 1), new AvgPool2D(3, 2)]),
        ["GlobalAveragePool"] = ([3, 5, 6], () => [new Conv2D(4, 3), new GlobalAveragePool()]),
        ["BatchNorm2D"] = ([3, 5, 4], () => [new Conv2D(4, 3, padding: 1), new BatchNorm2D(epsilon: 1e-4f)]),
        ["RandomShift2D"] = ([2, 6, 5], () => [new RandomShift2D(2), new Conv2D(3, 3)]),
        ["Dense over a sequence"] = ([4, 7], () => [new Dense(5)]),
        ["Dense over a sequence without bias"] = ([4, 7], () => [new Dense(5, useBias: false)]),
        ["SiLU"] = ([7], () => [new Dense(6), new SiLU()]),
        ["Softplus"] = ([7], () => [new Dense(6), new Softplus()]),
        ["LayerNorm"] = ([3, 7], () => [new Dense(6), new LayerNorm(1e-3f)]),
        ["A causal window (makemore's MLP)"] = ([5], () => [new Embedding(4, 3, initStd: 1f), new CausalWindow(3), new Dense(6), new Tanh()]),
        ["Embedding and positions"] = ([5], () => [new Embedding(3, 6, initStd: 1f), new PositionalEmbedding(7, initStd: 1f)]),
        ["CausalSelfAttention"] = ([5, 6], () => [new CausalSelfAttention(2)]),
        ["TransformerBlock"] = ([5, 8], () => [new TransformerBlock(2)]),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OnnxRuntimeComputesWhatScratchNetComputes(string name)
    {
        var (shape, layers) = Cases[name];
        var model = new Sequential(layers()).Build(shape, 17);
        var rng = new Rng(23);
        RandomizeStatistics(model, rng);
        var x = new Tensor([5, .. shape]);
        foreach (ref float v in x.Span) v = rng.NextUniform(-2f, 2f);
        if (model.Layers[0] is Embedding e)
            foreach (ref float v in x.Span) v = MathF.Floor((v + 2f) / 4f * e.Vocabulary); // token ids
        var expected = model.Forward(x, training: false);

        using var onnx = new OnnxRuntimeRunner(OnnxExporter.ToBytes(model));
        var actual = onnx.Run(x);
        double diff = OnnxRuntimeRunner.MaxAbsDiff(actual, expected);
        output.WriteLine($"{name}: max |onnx - scratchnet| = {diff:G3}");
        Assert.True(diff <= 1e-5, $"{name}: OnnxRuntime differs from ScratchNet by {diff:G3}");
    }

    /// <summary>Layers with no ONNX form yet (docs/ONNX.md): the exporter refuses them by name.</summary>
    private static readonly Type[] NotExported = [typeof(ScratchNet.Layers.Recurrent.SimpleRnn), typeof(ScratchNet.Layers.Recurrent.Lstm), typeof(ScratchNet.Layers.Recurrent.Gru), typeof(MinibatchStdDev)];

    [Fact]
    public void RecurrentLayersAreRefusedByName()
    {
        foreach (var layer in new Layer[] { new ScratchNet.Layers.Recurrent.SimpleRnn(3), new ScratchNet.Layers.Recurrent.Lstm(3), new ScratchNet.Layers.Recurrent.Gru(3) })
        {
            var model = new Sequential(layer).Build([4, 2], 1);
            var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(model));
            Assert.StartsWith($"layer 0 ({layer.TypeName}", e.Message);
            Assert.EndsWith("has no ONNX equivalent: the model cannot be exported", e.Message);
        }
    }

    /// <summary>Every concrete layer type of the library has a case above, or is refused by name: a new layer cannot be left out unseen.</summary>
    [Fact]
    public void EveryLayerOfTheLibraryHasACase()
    {
        var covered = Cases.Values.SelectMany(c => c.Layers()).Select(l => l.GetType()).Concat(NotExported).ToHashSet();
        var all = typeof(Layer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract && t.IsPublic);
        Assert.Empty(all.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void ALayerWithoutAnOnnxFormIsRefusedByName()
    {
        var model = new Sequential(new Dense(4), new Doubling(), new ReLU()).Build([3], 1);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(model));
        Assert.Equal("layer 1 (Doubling) has no ONNX equivalent: the model cannot be exported", e.Message);
    }

    /// <summary>
    /// The native library loads (libonnxruntime.so from the NuGet package needs only libc and libstdc++,
    /// which Debian 12 has), and the smallest model, no layer at all, runs as the identity.
    /// </summary>
    [Fact]
    public void OnnxRuntimeLoadsAndRunsAModelWithoutLayers()
    {
        var model = new Sequential().Build([3], 1);
        var x = Tensor.FromArray([1f, -2f, 3.5f, 0f, 5f, -6f], 2, 3);
        byte[] bytes = OnnxExporter.ToBytes(model);
        var failure = Record.Exception(() => new OnnxRuntimeRunner(bytes).Dispose());
        Assert.True(failure is null, $"OnnxRuntime did not load: {failure?.InnerException?.Message ?? failure?.Message}");
        using var onnx = new OnnxRuntimeRunner(bytes);
        Assert.Equal(x.Span.ToArray(), onnx.Run(x).Span.ToArray());
    }

    [Fact]
    public void TheSameModelGivesTheSameBytes()
    {
        using var temp = new ScratchNet.Tests.Data.TempFolder();
        var model = new Sequential(new Conv2D(3, 3), new BatchNorm2D(), new GELU(), new Flatten(), new Dense(4)).Build([2, 6, 6], 9);
        var meta = new ModelMetadata { Task = "classification", ClassNames = ["a", "b", "c", "d"], Extra = { ["seed"] = "9", ["loss"] = "SoftmaxCrossEntropy" } };
        byte[] first = OnnxExporter.ToBytes(model, meta);
        ModelFile.Save(temp.File("m.safetensors"), model, meta);
        var (again, againMeta) = ModelFile.Load(temp.File("m.safetensors"));
        Assert.Equal(first, OnnxExporter.ToBytes(again, againMeta));
    }

    [Fact]
    public void AnUnbuiltModelIsRefused()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(new Sequential(new Dense(4))));
        Assert.Contains("not built", e.Message);
    }

    [Fact]
    public void NothingIsWrittenWhenTheModelCannotBeExported()
    {
        using var temp = new ScratchNet.Tests.Data.TempFolder();
        var model = new Sequential(new Doubling()).Build([3], 1);
        Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(temp.File("m.onnx"), model));
        Assert.Empty(temp.Files());
        using var stream = new MemoryStream();
        Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(stream, model));
        Assert.Equal(0, stream.Length);
    }

    /// <summary>Running statistics far from their starting 0 and 1, so that using them wrongly shows.</summary>
    private static void RandomizeStatistics(Sequential model, Rng rng)
    {
        foreach (var layer in model.Layers)
        {
            // Gains, biases and norms away from their starting 1 and 0 (the sequence layers').
            if (layer is LayerNorm or CausalSelfAttention or TransformerBlock)
                foreach (var p in layer.Parameters.Where(p => !p.Decays))
                    foreach (ref float v in p.Value.Span) v = (p.Name.EndsWith("gamma") ? 1f : 0f) + rng.NextUniform(-0.5f, 0.5f);
            Tensor[]? stats = layer switch
            {
                BatchNorm b => [b.Gamma.Value, b.Beta.Value, b.RunningMean, b.RunningVariance],
                BatchNorm2D b => [b.Gamma.Value, b.Beta.Value, b.RunningMean, b.RunningVariance],
                _ => null,
            };
            if (stats is not [var gamma, var beta, var mean, var variance]) continue;
            for (int i = 0; i < gamma.Length; i++)
            {
                gamma.Span[i] = rng.NextUniform(0.5f, 1.5f);
                beta.Span[i] = rng.NextUniform(-0.5f, 0.5f);
                mean.Span[i] = rng.NextUniform(-1f, 1f);
                variance.Span[i] = rng.NextUniform(0.2f, 3f);
            }
        }
    }

    /// <summary>A layer from outside the library: y = 2x.</summary>
    private sealed class Doubling : Layer
    {
        private Tensor? _output;
        public override LayerSpec Spec => new("Doubling");
        public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();
        public override Tensor Forward(Tensor input, bool training)
        {
            _output = new Tensor(input.ShapeArray());
            for (int i = 0; i < input.Length; i++) _output.Span[i] = 2 * input.Span[i];
            return _output;
        }
        public override Tensor Backward(Tensor gradOutput) => throw new NotSupportedException();
    }
}
