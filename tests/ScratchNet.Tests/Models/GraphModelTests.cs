using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Layers.Merging;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Layers;
using ScratchNet.Tests.Training;
using ScratchNet.Training;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Models;

public class GraphModelTests(ITestOutputHelper output)
{
    /// <summary>x → dense(hidden) → relu → dense(width) → add(x, ·) → dense(classes): one residual block.</summary>
    private static GraphModel ResidualMlp(int width, int hidden, int classes)
    {
        var x = GraphModel.Input(width);
        var h = new ReLU().Apply(new Dense(hidden, new HeUniform()).Apply(x));
        var r = new Add().Apply(x, new Dense(width).Apply(h));
        return new GraphModel(x, new Dense(classes).Apply(new ReLU().Apply(r)));
    }

    [Fact]
    public void Summary_lists_nodes_layers_shapes_parameters_and_inputs()
    {
        var model = ResidualMlp(4, 8, 3).Build(seed: 1);
        string summary = model.Summary();
        output.WriteLine(summary);
        var lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^Node\s+Layer\s+Output shape\s+Parameters\s+Inputs$", lines[0]);
        Assert.Matches(@"^input_1\s+Input\s+\(4\)$", lines[2]);
        Assert.Matches(@"^dense_1\s+Dense\(units=8, weightInit=HeUniform, useBias=true\)\s+\(8\)\s+40\s+input_1$", lines[3]);
        Assert.Matches(@"^relu_1\s+ReLU\s+\(8\)\s+0\s+dense_1$", lines[4]);
        Assert.Matches(@"^dense_2\s+Dense\(.*\)\s+\(4\)\s+36\s+relu_1$", lines[5]);
        Assert.Matches(@"^add_1\s+Add\s+\(4\)\s+0\s+input_1, dense_2$", lines[6]);
        Assert.Matches(@"^dense_3\s+Dense\(.*\)\s+\(3\)\s+15\s+relu_2$", lines[8]);
        Assert.Contains("Outputs: dense_3", summary);
        Assert.Contains("Trainable parameters: 91", summary);
    }

    [Fact]
    public void Forward_computes_the_residual_sum()
    {
        var model = ResidualMlp(4, 8, 3).Build(seed: 1);
        var x = DoubleGradient.Random(1, 1f, 5, 4);
        var y = model.Forward(x).Clone();
        // The same arithmetic by the layers themselves, one after another.
        var layers = model.NamedLayers.Select(l => l.Layer).ToArray(); // dense_1, relu_1, dense_2, relu_2, dense_3
        var h = layers[2].Forward(layers[1].Forward(layers[0].Forward(x, false), false), false);
        var sum = new Tensor(5, 4);
        TensorMath.Add(x.Span, h.Span, sum.Span);
        var expected = layers[4].Forward(layers[3].Forward(sum, false), false);
        Assert.Equal(expected.ToArray(), y.ToArray());
    }

    [Fact]
    public void A_merge_of_mismatched_shapes_is_one_line_naming_both_nodes_and_shapes()
    {
        var x = GraphModel.Input(4);
        var a = new Dense(8).Apply(x, "wide");
        var b = new Dense(3).Apply(x, "narrow");
        var e = Assert.Throws<ArgumentException>(() => new GraphModel(x, new Add().Apply(a, b)));
        output.WriteLine(e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("'add_1'", e.Message);
        Assert.Contains("'wide' (8)", e.Message);
        Assert.Contains("'narrow' (3)", e.Message);
        var image = GraphModel.Input(2, 3);
        var c = Assert.Throws<ArgumentException>(() => new GraphModel(image, new Concatenate().Apply(new Flatten().Apply(image), image)));
        Assert.Contains("'flatten_1' (6) and 'input_1' (2, 3)", c.Message);
    }

    [Fact]
    public void Malformed_graphs_are_refused_when_made()
    {
        var x = GraphModel.Input(4);
        var dense = new Dense(4);
        var once = dense.Apply(x);
        Assert.Contains("weight sharing", Assert.Throws<ArgumentException>(() => new GraphModel(x, new Add().Apply(once, dense.Apply(once)))).Message);
        var unused = GraphModel.Input("unused", 2);
        Assert.Contains("'unused' (2) is used by no output", Assert.Throws<ArgumentException>(() => new GraphModel([x, unused], [new Dense(2).Apply(x)])).Message);
        var other = GraphModel.Input("other", 4);
        Assert.Contains("'other' (4), which is not among", Assert.Throws<ArgumentException>(() => new GraphModel(x, new Add().Apply(x, other))).Message);
        Assert.Contains("named 'h'", Assert.Throws<ArgumentException>(() => new GraphModel(x, new Add().Apply(new ReLU().Apply(x, "h"), new Tanh().Apply(x, "h")))).Message);
        Assert.Contains("letters, digits", Assert.Throws<ArgumentException>(() => new GraphModel(x, new ReLU().Apply(x, "a.b"))).Message);
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => new GraphModel(x, new Add().Apply(x))).Message);
    }

    [Fact]
    public void Several_inputs_and_outputs_need_the_array_forms()
    {
        var a = GraphModel.Input(3);
        var b = GraphModel.Input(3);
        var model = new GraphModel([a, b], [new Add().Apply(a, b)]).Build(seed: 1);
        var e = Assert.Throws<InvalidOperationException>(() => model.Forward(new Tensor(2, 3)));
        Assert.Contains("2 inputs", e.Message);
        var y = model.Forward([Tensor.Full(1f, 2, 3), Tensor.Full(2f, 2, 3)]);
        Assert.All(y[0].ToArray(), v => Assert.Equal(3f, v));
        Assert.Throws<ShapeMismatchException>(() => model.Forward([new Tensor(2, 3), new Tensor(3, 3)]));
        Assert.Contains("Build(rng)", Assert.Throws<ArgumentException>(() => new GraphModel([a, b], [new Add().Apply(a, b)]).Build([3], new Rng(1))).Message);
    }

    [Fact]
    public void Steady_state_training_step_does_not_allocate()
    {
        var x = GraphModel.Input(6);
        var left = new Dense(5).Apply(x);
        var right = new Tanh().Apply(new Dense(5).Apply(x));
        var joined = new Concatenate().Apply(new Multiply().Apply(left, right), new Add().Apply(left, right));
        var model = new GraphModel(x, new Dense(3).Apply(joined)).Build(seed: 2);
        var loss = new SoftmaxCrossEntropy();
        var input = DoubleGradient.Random(3, 1f, 8, 6);
        var t = Tensor.FromArray([0, 1, 2, 0, 1, 2, 0, 1], 8);
        var parameters = model.Parameters;
        void Step(bool inputGradient)
        {
            loss.Forward(model.Forward(input, training: true), t);
            model.Backward(loss.Backward(), inputGradient);
            for (int i = 0; i < parameters.Count; i++) TensorMath.AddScaled(parameters[i].Value.Span, -0.1f, parameters[i].Gradient.Span);
        }
        for (int i = 0; i < 3; i++) { Step(false); Step(true); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) { Step(false); Step(true); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_change_of_batch_size_is_followed()
    {
        var x = GraphModel.Input(5);
        var h = new Tanh().Apply(new Dense(4).Apply(x));
        var joined = new Concatenate().Apply(new Multiply().Apply(h, h), new Add().Apply(h, new Dense(4).Apply(x)));
        var model = new GraphModel(x, new Dense(2).Apply(joined)).Build(seed: 6);
        var big = DoubleGradient.Random(7, 1f, 8, 5);
        var small = big.SliceRows(0, 3).Clone();
        var gradBig = DoubleGradient.Random(8, 1f, 8, 2);
        var gradSmall = gradBig.SliceRows(0, 3).Clone();
        var yBig = model.Forward(big).Clone();
        var dxBig = model.Backward(gradBig).Clone();
        var ySmall = model.Forward(small).Clone();
        var dxSmall = model.Backward(gradSmall).Clone();
        Assert.Equal(yBig.SliceRows(0, 3).ToArray(), ySmall.ToArray());
        Assert.Equal(dxBig.SliceRows(0, 3).ToArray(), dxSmall.ToArray());
        Assert.Equal(yBig.ToArray(), model.Forward(big).ToArray());
    }

    [Fact]
    public void A_training_step_gives_the_same_parameter_gradients_with_and_without_the_input_gradient()
    {
        var model = ResidualMlp(5, 7, 3).Build(seed: 3);
        var loss = new SoftmaxCrossEntropy();
        var x = DoubleGradient.Random(4, 1f, 6, 5);
        var t = Tensor.FromArray([0, 1, 2, 2, 1, 0], 6);
        loss.Forward(model.Forward(x, training: true), t);
        Assert.Null(model.Backward(loss.Backward(), inputGradient: false));
        var without = model.Parameters.Select(p => p.Gradient.ToArray()).ToArray();
        loss.Forward(model.Forward(x, training: true), t);
        Assert.NotNull(model.Backward(loss.Backward(), inputGradient: true));
        Assert.Equal(without, model.Parameters.Select(p => p.Gradient.ToArray()).ToArray());
    }

    [Fact]
    public void Saved_and_loaded_like_a_sequential()
    {
        using var dir = new TempFolder();
        var a = GraphModel.Input("image", 2, 3);
        var b = GraphModel.Input("extra", 2);
        var flat = new Flatten().Apply(a);
        var h = new Dropout(0.25f).Apply(new BatchNorm().Apply(new Dense(4).Apply(flat)));
        var head = new Dense(3).Apply(new Concatenate().Apply(h, new Dense(2).Apply(b)), "logits");
        var model = new GraphModel([a, b], [head, h]).Build(seed: 4);
        var inputs = new[] { DoubleGradient.Random(5, 1f, 7, 2, 3), DoubleGradient.Random(6, 1f, 7, 2) };
        model.Forward(inputs, training: true); // moves the running statistics off their start
        string path = dir.File("graph.safetensors");
        ModelFile.Save(path, model, new ModelMetadata { Dataset = "synthetic" });

        var (loaded, meta) = ModelFile.LoadModel(path);
        var graph = Assert.IsType<GraphModel>(loaded);
        Assert.Equal("synthetic", meta.Dataset);
        Assert.Equal(model.Summary(), graph.Summary());
        Assert.Equal(ModelTensors.Collect(model).Select(t => t.Name), ModelTensors.Collect(graph).Select(t => t.Name));
        Assert.Contains("nodes.logits.weight", ModelTensors.Collect(graph).Select(t => t.Name));
        Assert.Contains("nodes.batchnorm_1.running_mean", ModelTensors.Collect(graph).Select(t => t.Name));
        var expected = model.Forward(inputs).Select(t => t.ToArray()).ToArray();
        Assert.Equal(expected, graph.Forward(inputs).Select(t => t.ToArray()).ToArray());
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains("graph model", e.Message);
    }

    [Fact]
    public void A_sequential_file_loads_through_LoadModel_too()
    {
        using var dir = new TempFolder();
        var model = new Sequential(new Dense(3), new ReLU()).Build([2], 1);
        ModelFile.Save(dir.File("s.safetensors"), model);
        Assert.IsType<Sequential>(ModelFile.LoadModel(dir.File("s.safetensors")).Model);
    }

    private static float[] TrainResidualWithThreads(int threads, string? checkpointDir = null)
    {
        using (Compute.UseThreads(threads))
        {
            // 64 x 256 x 128 = 2^21 multiply-adds per product: large enough for the GEMM to split over threads.
            var x = GraphModel.Input(256);
            var h = new Dropout(0.1f).Apply(new ReLU().Apply(new Dense(128, new HeUniform()).Apply(x)));
            var r = new Add().Apply(h, new Dense(128).Apply(new ReLU().Apply(new Dense(128, new HeUniform()).Apply(h))));
            var model = new GraphModel(x, new Dense(3).Apply(r));
            var trainer = new Trainer(model, new TrainerOptions
            {
                Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = 2, BatchSize = 64, Seed = 42,
                ValidationSplit = 0.2, CheckpointDir = checkpointDir,
            });
            var history = trainer.Fit(TrainerTests.Blobs(340, 256, 3));
            Assert.True(double.IsFinite(history.Epochs[^1].ValidationLoss));
            return model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        }
    }

    [Fact]
    public void A_graph_model_trains_through_Trainer_Fit_with_the_same_bits_on_1_and_2_threads()
    {
        using var dir = new TempFolder();
        float[] one = TrainResidualWithThreads(1), two = TrainResidualWithThreads(2, dir.Path);
        Assert.Equal(one, two);
        // The checkpoint holds the graph: it rebuilds the model with the trained weights.
        var state = Checkpoint.Load(dir.Path);
        Assert.NotNull(state.Model!.Graph);
        Assert.Contains("nodes.dense_1.weight", state.Weights.Keys);
    }

    [Fact]
    public void A_resumed_graph_run_ends_with_the_same_bits_as_an_uninterrupted_one()
    {
        var data = TrainerTests.Blobs(200, 12, 4);
        static GraphModel Make()
        {
            var x = GraphModel.Input(12);
            var h = new Dropout(0.2f).Apply(new ReLU().Apply(new Dense(16, new HeUniform()).Apply(x)));
            return new GraphModel(x, new Dense(3).Apply(new Concatenate().Apply(h, new Tanh().Apply(new Dense(4).Apply(x)))));
        }
        TrainerOptions Options(int epochs, string? dir, bool resume) => new()
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = epochs, BatchSize = 32, Seed = 9,
            CheckpointDir = dir, Resume = resume,
        };
        var whole = Make();
        new Trainer(whole, Options(4, null, false)).Fit(data);
        using var dir = new TempFolder();
        new Trainer(Make(), Options(2, dir.Path, false)).Fit(data);
        var resumed = Make();
        var history = new Trainer(resumed, Options(4, dir.Path, true)).Fit(data);
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(whole.Parameters.SelectMany(p => p.Value.ToArray()), resumed.Parameters.SelectMany(p => p.Value.ToArray()));
        // Another graph is refused: the checkpoint's architecture is compared with the model's.
        var input = GraphModel.Input(12);
        var other = new GraphModel(input, new Dense(3).Apply(input));
        var e = Assert.Throws<ModelFileException>(() => new Trainer(other, Options(4, dir.Path, true)).Fit(data));
        output.WriteLine(e.Message);
    }

    [Fact]
    public void A_chain_graph_trains_to_the_same_bits_as_the_sequential_of_its_layers()
    {
        Layer[] Layers() => [new Dense(16, new HeUniform()), new ReLU(), new Dropout(0.1f), new Dense(8), new Tanh(), new Dense(3)];
        var sequential = new Sequential(Layers());
        var x = GraphModel.Input(12);
        var node = x;
        foreach (var layer in Layers()) node = layer.Apply(node);
        var graph = new GraphModel(x, node);
        TrainerOptions Options() => new() { Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = 2, BatchSize = 16, Seed = 5, ValidationSplit = 0.2 };
        var data = TrainerTests.Blobs(120, 12, 2);
        var a = new Trainer(sequential, Options()).Fit(data);
        var b = new Trainer(graph, Options()).Fit(data);
        Assert.Equal(a.Epochs.Select(e => e.ValidationLoss), b.Epochs.Select(e => e.ValidationLoss));
        Assert.Equal(sequential.Parameters.SelectMany(p => p.Value.ToArray()), graph.Parameters.SelectMany(p => p.Value.ToArray()));
    }

    [Fact]
    public void A_graph_model_learns_through_Trainer_Fit()
    {
        var x = GraphModel.Input(2);
        var left = new Tanh().Apply(new Dense(8).Apply(x));
        var right = new ReLU().Apply(new Dense(8, new HeUniform()).Apply(x));
        var model = new GraphModel(x, new Dense(2).Apply(new Concatenate().Apply(left, right)));
        var data = SyntheticXor(200, 3);
        var trainer = new Trainer(model, new TrainerOptions { Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(0.03f), Epochs = 40, BatchSize = 20, Seed = 1 });
        var history = trainer.Fit(data);
        var accuracy = Evaluation.Evaluate(model, data, null).Accuracy;
        output.WriteLine($"loss {history.Epochs[0].TrainLoss:F3} → {history.Epochs[^1].TrainLoss:F3}, accuracy {accuracy:P1}");
        Assert.True(accuracy > 0.95, $"accuracy {accuracy:P1}");
    }

    private static InMemoryDataset SyntheticXor(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, 2);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = rng.NextUniform(-1, 1);
            x[i, 1] = rng.NextUniform(-1, 1);
            y[i] = x[i, 0] * x[i, 1] > 0 ? 1 : 0;
        }
        return new InMemoryDataset("xor", x, y, classCount: 2);
    }

    /// <summary>
    /// Two heads, a loss for each, trained on their weighted sum L = 1·L_class + 0.5·L_value. The dataset
    /// API carries one target, so this is a short manual loop over the library's parts (GraphModel.Forward
    /// and Backward with arrays, the losses, Adam); Trainer.Fit trains one-output models.
    /// </summary>
    [Fact]
    public void A_two_head_model_trains_on_a_weighted_sum_of_two_losses()
    {
        const int n = 64, features = 4;
        var rng = new Rng(7);
        var inputs = new Tensor(n, features);
        var classes = new Tensor(n);
        var values = new Tensor(n, 1);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < features; j++) inputs[i, j] = rng.NextUniform(-1, 1);
            classes[i] = inputs[i, 0] + inputs[i, 1] > 0 ? 1 : 0;
            values[i, 0] = inputs[i, 2] * inputs[i, 3];
        }
        var x = GraphModel.Input(features);
        var trunk = new Tanh().Apply(new Dense(16).Apply(x), "trunk");
        var model = new GraphModel([x], [new Dense(2).Apply(trunk, "class"), new Dense(1).Apply(trunk, "value")]).Build(seed: 5);
        var classLoss = new SoftmaxCrossEntropy();
        var valueLoss = new MeanSquaredError();
        var optimizer = new Adam(0.02f);
        const float classWeight = 1f, valueWeight = 0.5f;
        var gradients = new[] { new Tensor(n, 2), new Tensor(n, 1) };
        var batch = new[] { inputs };
        (double Total, double Class, double Value) Step()
        {
            var outputs = model.Forward(batch, training: true);
            float lc = classLoss.Forward(outputs[0], classes), lv = valueLoss.Forward(outputs[1], values);
            // dL/dŷ of each head is its loss's gradient scaled by its weight.
            TensorMath.Scale(classLoss.Backward().Span, classWeight, gradients[0].Span);
            TensorMath.Scale(valueLoss.Backward().Span, valueWeight, gradients[1].Span);
            model.Backward(gradients, inputGradient: false);
            optimizer.Step(model.Parameters);
            return (classWeight * lc + valueWeight * lv, lc, lv);
        }
        var first = Step();
        var last = first;
        for (int i = 0; i < 300; i++) last = Step();
        output.WriteLine($"total {first.Total:F4} → {last.Total:F4}; class {first.Class:F4} → {last.Class:F4}; value {first.Value:F4} → {last.Value:F4}");
        Assert.True(last.Class < 0.25 * first.Class, $"class loss {first.Class} → {last.Class}");
        Assert.True(last.Value < 0.5 * first.Value, $"value loss {first.Value} → {last.Value}");
    }
}
