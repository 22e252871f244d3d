using System.Globalization;
using ScratchNet.Layers;
using ScratchNet.Layers.Merging;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// A model whose layers form a directed acyclic graph (the Keras functional style): layers applied to
/// symbolic tensors, branches, merges (<see cref="Add"/> for residual connections,
/// <see cref="Concatenate"/>, <see cref="Multiply"/>), several inputs and outputs.
/// Forward runs the nodes in a topological order computed once; Backward runs them in reverse, and
/// where a node feeds several consumers its gradient is the sum of theirs:
/// dL/dh = Σ over consumers c of dL/dh through c (the multivariate chain rule).
/// </summary>
/// <example>
/// <code>
/// var x = GraphModel.Input(784);
/// var h = new ReLU().Apply(new Dense(784).Apply(x));
/// var y = new Dense(10).Apply(new Add().Apply(x, h));   // y = W(x + relu(W₁x + b₁)) + b
/// var model = new GraphModel(x, y).Build(seed: 1);
/// </code>
/// </example>
/// <remarks>
/// Shapes are inferred when the model is made, from the inputs' shapes; a layer that does not accept
/// its input or a merge of mismatched shapes is refused then, naming the nodes. Each node has its own
/// layer: a layer keeps its last forward pass for Backward, so one layer applied at two nodes (weight
/// sharing) is refused. A repeating step allocates nothing: every buffer is kept and reused while the
/// batch size stays the same.
/// </remarks>
public sealed partial class GraphModel : Model
{
    private readonly Node[] _nodes;          // in topological order
    private readonly int[] _inputNodes;      // node index of each graph input, in input order
    private readonly int[] _outputNodes;     // node index of each graph output, in output order
    private readonly int[] _consumers;       // edges leaving each node, graph outputs included
    private readonly bool[] _leadsFromParameters; // a parameter at or before the node: Backward must reach it in a training step
    private readonly Tensor[] _outputs, _inputGradients, _single = new Tensor[1];
    private readonly Tensor?[] _gradients, _gradientBuffers;
    private readonly int[] _received;
    private Parameter[] _parameters = [];
    private (string Path, Layer Layer)[] _namedLayers = [];
    private bool _isBuilt;

    /// <summary>A graph input of per-sample shape <paramref name="shape"/>, named "input_{k}" by its model.</summary>
    public static SymbolicTensor Input(params int[] shape) => Input(null, shape);

    /// <summary>A graph input named <paramref name="name"/> (letters, digits, '_' and '-'), of per-sample shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The shape is empty, has a dimension below 1, or more than <see cref="Limits.MaxInputRank"/> axes.</exception>
    public static SymbolicTensor Input(string? name, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is 0 || shape.Length > Limits.MaxInputRank || shape.Any(d => d < 1))
            throw new ArgumentException($"An input's shape needs 1 to {Limits.MaxInputRank} dimensions of at least 1, not {Tensor.FormatShape(shape)}.");
        return new SymbolicTensor(name, (int[])shape.Clone(), null, null, []);
    }

    /// <summary>The model from one input to one output.</summary>
    /// <exception cref="ArgumentException">See <see cref="GraphModel(IReadOnlyList{SymbolicTensor}, IReadOnlyList{SymbolicTensor})"/>.</exception>
    public GraphModel(SymbolicTensor input, SymbolicTensor output) : this([input], [output]) { }

    /// <summary>
    /// The model of every node between <paramref name="inputs"/> and <paramref name="outputs"/>: orders
    /// the nodes, names those without a name after their type ("dense_1", "add_1") and infers every
    /// node's shape. Nothing is built yet.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// An output depends on an input not listed; an input is used by no output; two nodes share a name,
    /// or a name is not letters, digits, '_' and '-'; one layer is applied at two nodes; a layer does not
    /// accept its input's shape or a merge's inputs do not fit (the message names the nodes and shapes);
    /// more than <see cref="Limits.MaxGraphNodes"/> nodes.
    /// </exception>
    public GraphModel(IReadOnlyList<SymbolicTensor> inputs, IReadOnlyList<SymbolicTensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count == 0 || outputs.Count == 0) throw new ArgumentException("A graph model needs at least one input and one output.");
        if (inputs.Any(i => i is null || !i.IsInput)) throw new ArgumentException("Each of a graph model's inputs must be made by GraphModel.Input.");
        if (inputs.Distinct().Count() != inputs.Count) throw new ArgumentException("A graph model lists the same input twice.");

        var order = TopologicalOrder(outputs);
        var index = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < order.Count; i++) index[order[i]] = i;
        string[] names = AssignNames(order, inputs);
        for (int k = 0; k < inputs.Count; k++)
            if (!index.ContainsKey(inputs[k]))
                throw new ArgumentException($"Input {(inputs[k].Name is { } name ? $"'{name}'" : k.ToString(CultureInfo.InvariantCulture))} {Tensor.FormatShape(inputs[k].InputShape)} is used by no output of the graph.");
        for (int i = 0; i < order.Count; i++)
            if (order[i].IsInput && !inputs.Contains(order[i]))
                throw new ArgumentException($"The graph reads input '{names[i]}' {Tensor.FormatShape(order[i].InputShape)}, which is not among the model's inputs.");
        RequireOneNodePerLayer(order, names);

        _nodes = new Node[order.Count];
        for (int i = 0; i < order.Count; i++)
        {
            var s = order[i];
            int[] reads = s.Inputs.Select(x => index[x]).ToArray();
            _nodes[i] = new Node(names[i], s.Layer, s.Merge, reads, InferShape(s, names[i], reads));
        }
        _inputNodes = inputs.Select(x => index[x]).ToArray();
        _outputNodes = outputs.Select(x => index[x]).ToArray();
        _consumers = new int[_nodes.Length];
        foreach (var node in _nodes)
            foreach (int r in node.Reads) _consumers[r]++;
        foreach (int o in _outputNodes) _consumers[o]++;
        _leadsFromParameters = new bool[_nodes.Length];
        _outputs = new Tensor[_outputNodes.Length];
        _inputGradients = new Tensor[_inputNodes.Length];
        _gradients = new Tensor?[_nodes.Length];
        _gradientBuffers = new Tensor?[_nodes.Length];
        _received = new int[_nodes.Length];

        int[] InferShape(SymbolicTensor s, string name, int[] reads)
        {
            if (s.IsInput) return s.InputShape!;
            var inShapes = reads.Select(r => _nodes[r].Shape).ToArray();
            try
            {
                return s.Layer is { } layer ? layer.OutputShape(inShapes[0]) : s.Merge!.OutputShape(inShapes);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                string what = string.Join(" and ", reads.Select(r => $"'{_nodes[r].Name}' {Tensor.FormatShape(_nodes[r].Shape)}"));
                throw new ArgumentException($"Node '{name}' ({s.TypeName}) cannot take {what}: {e.Message}", e);
            }
        }
    }

    /// <summary>The node names in topological order (inputs by their names).</summary>
    public IReadOnlyList<string> NodeNames => _nodes.Select(n => n.Name).ToArray();

    /// <summary>The per-sample shapes of the inputs, in input order.</summary>
    public IReadOnlyList<int[]> InputShapes => _inputNodes.Select(i => (int[])_nodes[i].Shape.Clone()).ToArray();

    /// <summary>The per-sample shapes of the outputs, in output order.</summary>
    public IReadOnlyList<int[]> OutputShapes => _outputNodes.Select(i => (int[])_nodes[i].Shape.Clone()).ToArray();

    /// <inheritdoc/>
    public override bool IsBuilt => _isBuilt;

    /// <inheritdoc/>
    public override int[] InputShape => _nodes[_inputNodes[0]].Shape;

    /// <inheritdoc/>
    public override int[] OutputShape => _nodes[_outputNodes[0]].Shape;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The nodes' layers with their paths "nodes.{name}", in topological order (after <see cref="Build(Rng)"/>).</summary>
    public override IReadOnlyList<(string Path, Layer Layer)> NamedLayers => _namedLayers;

    /// <summary>
    /// Each computed node's <see cref="LayerCost"/>, by node name, in topological order: what building
    /// and running it will take, computed without allocating.
    /// </summary>
    public IReadOnlyList<(string Node, LayerCost Cost)> Costs()
    {
        var costs = new List<(string, LayerCost)>();
        foreach (var node in _nodes)
        {
            if (node.IsInput) continue;
            var cost = node.Layer is { } layer ? layer.Cost(_nodes[node.Reads[0]].Shape) : node.Merge!.Cost(node.Reads.Select(r => _nodes[r].Shape).ToArray());
            if (cost.OutputFloats > Array.MaxLength || cost.StoredFloats > Array.MaxLength)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Node '{node.Name}' ({node.TypeName}) would need {Math.Max(cost.OutputFloats, cost.StoredFloats):N0} values in one array, more than an array can hold."));
            costs.Add((node.Name, cost));
        }
        return costs;
    }

    /// <summary>
    /// Builds every node's layer for the shapes inferred from the inputs, initialising parameters from
    /// <paramref name="rng"/> in topological order. Refuses a model of more than
    /// <see cref="Limits.MaxParameters"/> parameters and buffers before allocating anything.
    /// </summary>
    /// <exception cref="ArgumentException">The model is over the parameter limit.</exception>
    public GraphModel Build(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        long stored = 0;
        foreach (var (_, cost) in Costs()) stored = LayerCost.Plus(stored, cost.StoredFloats);
        if (stored > Limits.MaxParameters)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The graph model needs {stored:N0} parameters and buffers, more than the limit of {Limits.MaxParameters:N0} (Limits.MaxParameters)."));
        var parameters = new List<Parameter>();
        var named = new List<(string, Layer)>();
        for (int i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i];
            if (node.Layer is { } layer)
            {
                layer.Build(_nodes[node.Reads[0]].Shape, rng);
                parameters.AddRange(layer.Parameters);
                named.Add(($"nodes.{node.Name}", layer));
            }
            else node.Merge?.Build(node.Reads.Select(r => _nodes[r].Shape).ToArray());
            _leadsFromParameters[i] = node.Layer?.Parameters.Count > 0 || node.Reads.Any(r => _leadsFromParameters[r]);
        }
        _parameters = parameters.ToArray();
        _namedLayers = named.ToArray();
        _isBuilt = true;
        return this;
    }

    /// <summary>Builds with a generator seeded by <paramref name="seed"/>.</summary>
    public GraphModel Build(ulong seed) => Build(new Rng(seed));

    /// <summary>Builds a one-input model after checking that <paramref name="inputShape"/> is its input's shape (the pipeline's call).</summary>
    /// <exception cref="ArgumentException">The model has several inputs, or its input has another shape.</exception>
    public override GraphModel Build(int[] inputShape, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_inputNodes.Length != 1)
            throw new ArgumentException($"This graph model has {_inputNodes.Length} inputs; build it with Build(rng), for the shapes its inputs declare.");
        if (!inputShape.AsSpan().SequenceEqual(InputShape))
            throw new ShapeMismatchException($"Graph input '{_nodes[_inputNodes[0]].Name}' was declared with another shape than the data's",
                Tensor.FormatShape(InputShape), Tensor.FormatShape(inputShape));
        return Build(rng);
    }

    /// <summary>
    /// Runs a batch of every input (in input order, one batch size) through the graph; returns the
    /// outputs in output order. The list and the tensors are the model's, valid until the next Forward.
    /// </summary>
    /// <exception cref="ArgumentException">Not one tensor per input, or a tensor not of shape (batch, ...input shape).</exception>
    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        RequireBuilt();
        if (inputs.Count != _inputNodes.Length)
            throw new ArgumentException($"This graph model takes {_inputNodes.Length} inputs, not {inputs.Count}.");
        for (int k = 0; k < inputs.Count; k++)
        {
            var node = _nodes[_inputNodes[k]];
            var s = inputs[k].Shape;
            if (s.Length != node.Shape.Length + 1 || !s[1..].SequenceEqual(node.Shape) || s[0] != inputs[0].Dim(0))
                throw new ShapeMismatchException($"Graph input '{node.Name}'", inputs[k].ShapeString,
                    "(" + string.Join(", ", new[] { inputs[0].Dim(0) }.Concat(node.Shape)) + ")");
            node.Output = inputs[k];
        }
        foreach (var node in _nodes)
        {
            if (node.IsInput) continue;
            if (node.Layer is { } layer) node.Output = layer.Forward(_nodes[node.Reads[0]].Output!, training);
            else
            {
                for (int k = 0; k < node.Reads.Length; k++) node.MergeInputs[k] = _nodes[node.Reads[k]].Output!;
                node.Output = node.Merge!.Forward(node.MergeInputs);
            }
        }
        for (int j = 0; j < _outputs.Length; j++) _outputs[j] = _nodes[_outputNodes[j]].Output!;
        return _outputs;
    }

    /// <summary>The one output for a batch of the one input.</summary>
    /// <exception cref="InvalidOperationException">The model has several inputs or outputs: use <see cref="Forward(IReadOnlyList{Tensor}, bool)"/>.</exception>
    public override Tensor Forward(Tensor input, bool training = false)
    {
        RequireSingle("Forward(IReadOnlyList<Tensor>)");
        _single[0] = input;
        return Forward(_single, training)[0];
    }

    /// <summary>
    /// Back-propagates dL/dy of every output (in output order) of the last forward batch, writing every
    /// parameter gradient. Returns dL/dx of every input (the model's tensors, valid until the next
    /// Backward), or null when <paramref name="inputGradient"/> is false: then only the nodes with a
    /// parameter at or before them run backward, and each layer whose input leads from no parameter
    /// skips its dL/dx (see <see cref="Layer.InputGradientRequired"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Not one gradient per output, or one not of its output's shape.</exception>
    public IReadOnlyList<Tensor>? Backward(IReadOnlyList<Tensor> gradOutputs, bool inputGradient = true)
    {
        ArgumentNullException.ThrowIfNull(gradOutputs);
        RequireBuilt();
        if (gradOutputs.Count != _outputNodes.Length)
            throw new ArgumentException($"This graph model has {_outputNodes.Length} outputs, so Backward takes {_outputNodes.Length} gradients, not {gradOutputs.Count}.");
        if (_nodes[_outputNodes[0]].Output is null) throw new InvalidOperationException("Backward called before Forward.");
        Array.Clear(_gradients);
        Array.Clear(_received);
        for (int j = 0; j < gradOutputs.Count; j++) Contribute(_outputNodes[j], gradOutputs[j]);
        for (int i = _nodes.Length - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.IsInput || !(inputGradient || _leadsFromParameters[i])) continue;
            var g = _gradients[i]!;
            if (node.Layer is { } layer)
            {
                int from = node.Reads[0];
                bool wanted = inputGradient || _leadsFromParameters[from];
                bool saved = layer.InputGradientRequired;
                layer.InputGradientRequired = wanted;
                try
                {
                    var gx = layer.Backward(g);
                    if (wanted) Contribute(from, gx);
                }
                finally { layer.InputGradientRequired = saved; }
            }
            else
            {
                var gxs = node.Merge!.Backward(g);
                for (int k = 0; k < node.Reads.Length; k++)
                    if (inputGradient || _leadsFromParameters[node.Reads[k]]) Contribute(node.Reads[k], gxs[k]);
            }
        }
        if (!inputGradient) return null;
        for (int k = 0; k < _inputNodes.Length; k++) _inputGradients[k] = _gradients[_inputNodes[k]]!;
        return _inputGradients;
    }

    /// <summary>Back-propagates dL/dy of the one output; returns dL/dx of the one input, or null when <paramref name="inputGradient"/> is false.</summary>
    /// <exception cref="InvalidOperationException">The model has several inputs or outputs: use <see cref="Backward(IReadOnlyList{Tensor}, bool)"/>.</exception>
    public override Tensor? Backward(Tensor gradOutput, bool inputGradient)
    {
        RequireSingle("Backward(IReadOnlyList<Tensor>, bool)");
        _single[0] = gradOutput;
        return Backward(_single, inputGradient)?[0];
    }

    /// <summary>
    /// Adds one consumer's dL/dh to node h's gradient. A node with one consumer takes the consumer's
    /// tensor as it is (read only); a node with several sums them, in the fixed reverse topological order,
    /// into its own buffer, so the sum is the same bits every time.
    /// </summary>
    private void Contribute(int node, Tensor gradient)
    {
        var output = _nodes[node].Output!;
        if (!gradient.SameShape(output))
            throw new ShapeMismatchException($"Gradient of node '{_nodes[node].Name}' vs. its output", gradient.ShapeString, output.ShapeString);
        if (_consumers[node] == 1)
        {
            _gradients[node] = gradient;
            return;
        }
        if (_received[node]++ == 0)
        {
            if (_gradientBuffers[node] is not { } b || !b.SameShape(gradient)) _gradientBuffers[node] = new Tensor(gradient.ShapeArray());
            gradient.Span.CopyTo(_gradientBuffers[node]!.Span);
            _gradients[node] = _gradientBuffers[node];
        }
        else
        {
            var sum = _gradients[node]!;
            TensorMath.Add(sum.Span, gradient.Span, sum.Span);
        }
    }

    private void RequireBuilt()
    {
        if (!_isBuilt) throw new InvalidOperationException("The graph model is not built: call Build(seed) first.");
    }

    private void RequireSingle(string instead)
    {
        if (_inputNodes.Length != 1 || _outputNodes.Length != 1)
            throw new InvalidOperationException($"This graph model has {_inputNodes.Length} inputs and {_outputNodes.Length} outputs: call {instead}.");
    }

    /// <summary>Every node the outputs depend on, each after the nodes it reads (depth-first, inputs in order; no recursion, so a deep graph cannot overflow the stack).</summary>
    private static List<SymbolicTensor> TopologicalOrder(IReadOnlyList<SymbolicTensor> outputs)
    {
        var order = new List<SymbolicTensor>();
        var done = new HashSet<SymbolicTensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(SymbolicTensor Node, int Next)>();
        foreach (var output in outputs)
        {
            ArgumentNullException.ThrowIfNull(output, nameof(outputs));
            if (done.Contains(output)) continue;
            stack.Push((output, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < node.Inputs.Count)
                {
                    stack.Push((node, next + 1));
                    var input = node.Inputs[next];
                    if (!done.Contains(input)) stack.Push((input, 0));
                    continue;
                }
                if (done.Add(node))
                {
                    order.Add(node);
                    if (order.Count > Limits.MaxGraphNodes)
                        throw new ArgumentException($"The graph has more than {Limits.MaxGraphNodes:N0} nodes (Limits.MaxGraphNodes).");
                }
            }
        }
        return order;
    }

    /// <summary>Given names (checked and unique), then "input_{k}" for inputs in input order and "{type}_{k}" for the other nodes in order.</summary>
    private static string[] AssignNames(List<SymbolicTensor> order, IReadOnlyList<SymbolicTensor> inputs)
    {
        var names = new string?[order.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i].Name is not { } name) continue;
            RequireValidName(name);
            if (!taken.Add(name)) throw new ArgumentException($"Two nodes of the graph are named '{name}'.");
            names[i] = name;
        }
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        string Next(string type)
        {
            string stem = type.ToLowerInvariant();
            string name;
            do
            {
                int k = counters.GetValueOrDefault(stem) + 1;
                counters[stem] = k;
                name = string.Create(CultureInfo.InvariantCulture, $"{stem}_{k}");
            } while (!taken.Add(name));
            return name;
        }
        var position = new Dictionary<SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < order.Count; i++) position[order[i]] = i;
        foreach (var input in inputs)
            if (position.TryGetValue(input, out int i) && names[i] is null) names[i] = Next("input");
        for (int i = 0; i < order.Count; i++) names[i] ??= Next(order[i].TypeName);
        return names!;
    }

    /// <summary>Refuses a name that could not serve in a tensor name "nodes.{name}.weight": 1 to 64 letters, digits, '_' or '-'.</summary>
    internal static void RequireValidName(string name)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new ArgumentException($"Node name '{TextExcerpt.Of(name)}' is not 1 to 64 letters, digits, '_' or '-'.");
    }

    private static void RequireOneNodePerLayer(List<SymbolicTensor> order, string[] names)
    {
        var seen = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < order.Count; i++)
        {
            object? op = (object?)order[i].Layer ?? order[i].Merge;
            if (op is null) continue;
            if (!seen.TryAdd(op, names[i]))
                throw new ArgumentException($"One {order[i].TypeName} layer is applied at nodes '{seen[op]}' and '{names[i]}': a layer keeps its last forward pass for Backward, so each node needs its own (weight sharing is not supported).");
        }
    }

    /// <summary>One node: what computes it, the nodes it reads, its per-sample shape and its last output.</summary>
    private sealed class Node(string name, Layer? layer, MergeLayer? merge, int[] reads, int[] shape)
    {
        public string Name { get; } = name;
        public Layer? Layer { get; } = layer;
        public MergeLayer? Merge { get; } = merge;
        public int[] Reads { get; } = reads;
        public int[] Shape { get; } = shape;
        public Tensor[] MergeInputs { get; } = merge is null ? [] : new Tensor[reads.Length];
        public Tensor? Output { get; set; }
        public bool IsInput => Layer is null && Merge is null;
        public string TypeName => Layer?.TypeName ?? Merge?.TypeName ?? "Input";
    }
}
