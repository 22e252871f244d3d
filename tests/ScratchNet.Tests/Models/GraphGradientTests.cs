using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Merging;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Tensors;
using ScratchNet.Tests.Layers;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Models;

/// <summary>
/// Gradient checks in double for the merges and for graph models: each merge's Backward against
/// central differences of its double reference, and whole graphs (a residual block, two branches joined,
/// a gate, two inputs and two heads) against a double reference of the same graph written out by hand.
/// The scalar is L = Σ r ⊙ y for a fixed random r (one per output), so dL/dy = r.
/// </summary>
public class GraphGradientTests(ITestOutputHelper output)
{
    private const int Batch = 3;

    // ---- merges alone ----

    public static TheoryData<string, int> MergeCases => new()
    {
        { "Add", 2 }, { "Add", 3 }, { "Multiply", 2 }, { "Multiply", 3 }, { "Concatenate", 2 }, { "Concatenate", 3 },
    };

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void Merge_backward_matches_central_differences_in_double(string type, int count)
    {
        var merge = MergeLayer.Create(new LayerSpec(type));
        // Per-sample shapes (2, w): Concatenate joins widths 3, 1, 4 along the last axis; the others take (2, 5) each.
        int[][] shapes = Enumerable.Range(0, count).Select(i => type == "Concatenate" ? new[] { 2, new[] { 3, 1, 4 }[i] } : new[] { 2, 5 }).ToArray();
        merge.Build(shapes);
        var inputs = shapes.Select((s, i) => DoubleGradient.Random(20 + (ulong)i, 1f, [Batch, .. s])).ToArray();
        var y = merge.Forward(inputs);
        var r = DoubleGradient.Random(9, 1f, y.ShapeArray());
        var analytic = merge.Backward(r).Select(t => t.Clone()).ToArray();

        double[][] xs = inputs.Select(DoubleGradient.ToDouble).ToArray();
        double[] rd = DoubleGradient.ToDouble(r);
        double[] Reference() => type switch
        {
            "Add" => Enumerable.Range(0, rd.Length).Select(j => xs.Sum(x => x[j])).ToArray(),
            "Multiply" => Enumerable.Range(0, rd.Length).Select(j => xs.Aggregate(1.0, (p, x) => p * x[j])).ToArray(),
            _ => ConcatenateRows(xs, shapes.Select(s => s[^1]).ToArray(), Batch * 2),
        };
        double[] forward = Reference();
        for (int j = 0; j < forward.Length; j++) Assert.Equal(forward[j], y[j], 5);
        for (int i = 0; i < count; i++)
        {
            double error = DoubleGradient.Compare(analytic[i], xs[i], () => Dot(rd, Reference()));
            output.WriteLine($"{type} x{count}, input {i}: {error:E2}");
            Assert.True(error < DoubleGradient.Tolerance, $"{type} input {i}: relative error {error:E2}");
        }
    }

    private static double[] ConcatenateRows(double[][] xs, int[] widths, int rows)
    {
        int total = widths.Sum();
        var y = new double[rows * total];
        for (int r = 0; r < rows; r++)
        {
            int offset = 0;
            for (int i = 0; i < xs.Length; i++)
            {
                for (int c = 0; c < widths[i]; c++) y[r * total + offset + c] = xs[i][r * widths[i] + c];
                offset += widths[i];
            }
        }
        return y;
    }

    // ---- whole graphs ----

    /// <summary>y = W₂(x + tanh(W₁x + b₁)) + b₂: a residual block.</summary>
    [Fact]
    public void Residual_graph_gradients_match_a_double_reference()
    {
        var x = GraphModel.Input(4);
        var h = new Tanh().Apply(new Dense(4).Apply(x));
        var y = new Dense(3).Apply(new Add().Apply(x, h));
        var model = new GraphModel(x, y).Build(seed: 1);
        Check(model, [DoubleGradient.Random(2, 1f, Batch, 4)], (xs, p) =>
        {
            var hd = Reference.Map(Reference.Dense(xs[0], p[0], p[1], Batch, 4, 4), Math.Tanh);
            var a = xs[0].Zip(hd, (u, v) => u + v).ToArray();
            return [Reference.Dense(a, p[2], p[3], Batch, 4, 3)];
        });
    }

    /// <summary>y = W₃[W₁x + b₁ ; tanh(W₂x + b₂)] + b₃: two branches from one input, joined.</summary>
    [Fact]
    public void Two_branch_concatenate_graph_gradients_match_a_double_reference()
    {
        var x = GraphModel.Input(4);
        var left = new Dense(3).Apply(x);
        var right = new Tanh().Apply(new Dense(2).Apply(x));
        var y = new Dense(2).Apply(new Concatenate().Apply(left, right));
        var model = new GraphModel(x, y).Build(seed: 2);
        Check(model, [DoubleGradient.Random(3, 1f, Batch, 4)], (xs, p) =>
        {
            var l = Reference.Dense(xs[0], p[0], p[1], Batch, 4, 3);
            var r = Reference.Map(Reference.Dense(xs[0], p[2], p[3], Batch, 4, 2), Math.Tanh);
            return [Reference.Dense(ConcatenateRows([l, r], [3, 2], Batch), p[4], p[5], Batch, 5, 2)];
        });
    }

    /// <summary>y = W₃((W₁x + b₁) ⊙ σ(W₂x + b₂)) + b₃: a gate (Multiply).</summary>
    [Fact]
    public void Gated_multiply_graph_gradients_match_a_double_reference()
    {
        var x = GraphModel.Input(4);
        var value = new Dense(3).Apply(x);
        var gate = new Sigmoid().Apply(new Dense(3).Apply(x));
        var y = new Dense(2).Apply(new Multiply().Apply(value, gate));
        var model = new GraphModel(x, y).Build(seed: 3);
        Check(model, [DoubleGradient.Random(4, 1f, Batch, 4)], (xs, p) =>
        {
            var v = Reference.Dense(xs[0], p[0], p[1], Batch, 4, 3);
            var g = Reference.Map(Reference.Dense(xs[0], p[2], p[3], Batch, 4, 3), Reference.Sigmoid);
            return [Reference.Dense(v.Zip(g, (a, b) => a * b).ToArray(), p[4], p[5], Batch, 3, 2)];
        });
    }

    /// <summary>
    /// Two inputs, two heads, and a node that feeds three consumers (its gradient is the sum of three):
    /// s = tanh(W₂x₂ + b₂); y₁ = W₃(W₁x₁ + b₁ + s) + b₃; y₂ = W₄(s ⊙ s) + b₄.
    /// </summary>
    [Fact]
    public void Two_input_two_head_graph_gradients_match_a_double_reference()
    {
        var x1 = GraphModel.Input("x1", 3);
        var x2 = GraphModel.Input("x2", 2);
        var shared = new Tanh().Apply(new Dense(4).Apply(x2), "shared");
        var y1 = new Dense(2).Apply(new Add().Apply(new Dense(4).Apply(x1), shared), "head1");
        var y2 = new Dense(1).Apply(new Multiply().Apply(shared, shared), "head2");
        var model = new GraphModel([x1, x2], [y1, y2]).Build(seed: 4);
        Assert.Equal(["x1", "dense_1", "x2", "dense_2", "shared", "add_1", "head1", "multiply_1", "head2"], model.NodeNames);
        Check(model, [DoubleGradient.Random(5, 1f, Batch, 3), DoubleGradient.Random(6, 1f, Batch, 2)], (xs, p) =>
        {
            // Parameters in topological order: dense_1 (x1 → 4), dense_2 (x2 → 4), head1, head2.
            var s = Reference.Map(Reference.Dense(xs[1], p[2], p[3], Batch, 2, 4), Math.Tanh);
            var a = Reference.Dense(xs[0], p[0], p[1], Batch, 3, 4).Zip(s, (u, v) => u + v).ToArray();
            return [Reference.Dense(a, p[4], p[5], Batch, 4, 2), Reference.Dense(s.Select(v => v * v).ToArray(), p[6], p[7], Batch, 4, 1)];
        });
    }

    /// <summary>The public float32 checker takes a graph model too, and names entries by node.</summary>
    [Fact]
    public void Float_gradient_check_passes_on_a_residual_graph()
    {
        var x = GraphModel.Input(5);
        var h = new Dense(5).Apply(new Tanh().Apply(new Dense(6).Apply(x)));
        var y = new Dense(3).Apply(new Add().Apply(x, h));
        var model = new GraphModel(x, y).Build(seed: 5);
        var result = GradientCheck.Run(model, new SoftmaxCrossEntropy(), DoubleGradient.Random(7, 1f, 6, 5),
            Tensor.FromArray([0, 1, 2, 0, 1, 2], 6));
        output.WriteLine(result.Report());
        Assert.True(result.Passed, result.Report());
        Assert.Equal(["dense_1.Dense.weight", "dense_1.Dense.bias", "dense_2.Dense.weight", "dense_2.Dense.bias",
            "dense_3.Dense.weight", "dense_3.Dense.bias", "input"], result.Entries.Select(e => e.Name));
    }

    /// <summary>A reference forward pass: inputs and parameters (flat, in the model's Parameters order) → every output (flat).</summary>
    private delegate double[][] GraphReference(double[][] inputs, double[][] parameters);

    /// <summary>A Multiply whose Backward forgets the other factor (dL/dxᵢ = dL/dy): the check must catch it.</summary>
    private sealed class MultiplyWithoutTheOtherFactor : MergeLayer
    {
        private readonly Multiply _multiply = new();
        private readonly Tensor[] _gradients = new Tensor[2];
        public override string TypeName => "Multiply";
        public override int[] OutputShape(IReadOnlyList<int[]> inputShapes) => _multiply.OutputShape(inputShapes);
        public override Tensor Forward(IReadOnlyList<Tensor> inputs)
        {
            if (!_multiply.IsBuilt) _multiply.Build(inputs.Select(t => t.ShapeArray()[1..]).ToArray());
            return _multiply.Forward(inputs);
        }
        public override IReadOnlyList<Tensor> Backward(Tensor gradOutput)
        {
            _gradients[0] = _gradients[1] = gradOutput;
            return _gradients;
        }
    }

    [Fact]
    public void The_check_catches_a_merge_whose_backward_forgets_a_factor()
    {
        var x = GraphModel.Input(4);
        var value = new Dense(3).Apply(x);
        var gate = new Sigmoid().Apply(new Dense(3).Apply(x));
        var y = new Dense(2).Apply(new MultiplyWithoutTheOtherFactor().Apply(value, gate));
        var model = new GraphModel(x, y).Build(seed: 3);
        var errors = Errors(model, [DoubleGradient.Random(4, 1f, Batch, 4)], (xs, p) =>
        {
            var v = Reference.Dense(xs[0], p[0], p[1], Batch, 4, 3);
            var g = Reference.Map(Reference.Dense(xs[0], p[2], p[3], Batch, 4, 3), Reference.Sigmoid);
            return [Reference.Dense(v.Zip(g, (a, b) => a * b).ToArray(), p[4], p[5], Batch, 3, 2)];
        });
        output.WriteLine(string.Join(", ", errors.Select(e => $"{e.Name}: {e.Error:E2}")));
        Assert.True(errors.Max(e => e.Error) > 0.1, "the planted bug went unnoticed");
        // The head after the merge does not depend on the merge's Backward: its gradients stay right.
        Assert.True(errors.Single(e => e.Name == "nodes.dense_3.weight").Error < DoubleGradient.Tolerance);
    }

    private void Check(GraphModel model, Tensor[] inputs, GraphReference reference)
    {
        var errors = Errors(model, inputs, reference);
        output.WriteLine(string.Join(", ", errors.Select(e => $"{e.Name}: {e.Error:E2}")));
        foreach (var (name, error) in errors) Assert.True(error < DoubleGradient.Tolerance, $"{name}: relative error {error:E2}");
    }

    /// <summary>The relative error of every input's and parameter's gradient, against the double reference.</summary>
    private static List<(string Name, double Error)> Errors(GraphModel model, Tensor[] inputs, GraphReference reference)
    {
        var ys = model.Forward(inputs, training: true).Select(t => t.Clone()).ToArray();
        var rs = ys.Select((y, j) => DoubleGradient.Random(40 + (ulong)j, 1f, y.ShapeArray())).ToArray();
        var analyticInputs = model.Backward(rs)!.Select(t => t.Clone()).ToArray();
        var analyticParameters = model.Parameters.Select(p => p.Gradient.Clone()).ToArray();

        double[][] xs = inputs.Select(DoubleGradient.ToDouble).ToArray();
        double[][] ps = model.Parameters.Select(p => DoubleGradient.ToDouble(p.Value)).ToArray();
        double[][] rd = rs.Select(DoubleGradient.ToDouble).ToArray();
        double Scalar()
        {
            var outs = reference(xs, ps);
            return outs.Select((o, j) => Dot(rd[j], o)).Sum();
        }

        var forward = reference(xs, ps);
        for (int j = 0; j < ys.Length; j++)
            for (int i = 0; i < ys[j].Length; i++) Assert.Equal(forward[j][i], ys[j][i], 4);
        var errors = new List<(string, double)>();
        for (int k = 0; k < xs.Length; k++) errors.Add(($"input {k}", DoubleGradient.Compare(analyticInputs[k], xs[k], Scalar)));
        for (int k = 0; k < ps.Length; k++) errors.Add(($"{model.NamedLayers.First(l => l.Layer.Parameters.Contains(model.Parameters[k])).Path}.{model.Parameters[k].Name}",
            DoubleGradient.Compare(analyticParameters[k], ps[k], Scalar)));
        return errors;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
