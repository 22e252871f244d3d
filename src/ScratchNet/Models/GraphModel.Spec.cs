using System.Globalization;
using System.Text;
using ScratchNet.Layers;
using ScratchNet.Layers.Merging;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

public sealed partial class GraphModel
{
    /// <summary>The architecture as data (inputs, nodes in topological order, outputs): what a model file stores.</summary>
    public GraphSpec Spec => new(
        _inputNodes.Select(i => new GraphInputSpec(_nodes[i].Name, (int[])_nodes[i].Shape.Clone())).ToArray(),
        _nodes.Where(n => !n.IsInput).Select(n => new GraphNodeSpec(n.Name, n.Layer?.Spec ?? n.Merge!.Spec,
            n.Reads.Select(r => _nodes[r].Name).ToArray())).ToArray(),
        _outputNodes.Select(i => _nodes[i].Name).ToArray());

    /// <summary>
    /// An unbuilt model of <paramref name="spec"/>'s architecture, the layers made by
    /// <see cref="LayerFactory.Create"/> and <see cref="MergeLayer.Create"/>. The graph is checked as data
    /// before any layer is made: at most <see cref="Limits.MaxGraphNodes"/> nodes, valid unique names,
    /// every input name known, no cycle, every node leading to an output.
    /// </summary>
    /// <exception cref="FormatException">The graph is malformed; the message names the node.</exception>
    /// <exception cref="ArgumentException">A layer's settings are invalid, or shapes do not fit (see the constructor).</exception>
    public static GraphModel FromSpec(GraphSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int count = spec.Inputs.Count + spec.Nodes.Count;
        if (count > Limits.MaxGraphNodes || spec.Outputs.Count > Limits.MaxGraphNodes)
            throw new FormatException($"the graph has {count:N0} nodes and {spec.Outputs.Count:N0} outputs (at most {Limits.MaxGraphNodes:N0} each, Limits.MaxGraphNodes)");
        if (spec.Inputs.Count == 0 || spec.Outputs.Count == 0) throw new FormatException("the graph needs at least one input and one output");

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] names = spec.Inputs.Select(i => i.Name).Concat(spec.Nodes.Select(n => n.Name)).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            try { RequireValidName(names[i] ?? ""); }
            catch (ArgumentException e) { throw new FormatException(e.Message.TrimEnd('.')); }
            if (!index.TryAdd(names[i], i)) throw new FormatException($"two nodes are named '{names[i]}'");
        }
        var reads = new int[count][];
        for (int n = 0; n < spec.Nodes.Count; n++)
        {
            var node = spec.Nodes[n];
            if (node.Inputs.Count > Limits.MaxGraphNodes)
                throw new FormatException($"node '{node.Name}' reads {node.Inputs.Count:N0} nodes (at most {Limits.MaxGraphNodes:N0})");
            bool merge = MergeLayer.TypeNames.Contains(node.Layer.Type);
            if (merge ? node.Inputs.Count < 2 : node.Inputs.Count != 1)
                throw new FormatException($"node '{node.Name}' ({TextExcerpt.Of(node.Layer.Type)}) reads {node.Inputs.Count} nodes; a layer reads one, a merge two or more");
            reads[spec.Inputs.Count + n] = node.Inputs.Select(name => index.TryGetValue(name ?? "", out int r) ? r
                : throw new FormatException($"node '{node.Name}' reads '{TextExcerpt.Of(name)}', which is no node or input of the graph")).ToArray();
        }
        var outputs = spec.Outputs.Select(name => index.TryGetValue(name ?? "", out int r) ? r
            : throw new FormatException($"output '{TextExcerpt.Of(name)}' is no node of the graph")).ToArray();
        int[] order = OrderOrRefuseCycle(spec, names, reads);

        var symbols = new SymbolicTensor[count];
        for (int i = 0; i < spec.Inputs.Count; i++)
        {
            try { symbols[i] = Input(names[i], spec.Inputs[i].Shape); }
            catch (ArgumentException e) { throw new FormatException($"input '{names[i]}': {e.Message.TrimEnd('.')}"); }
        }
        foreach (int i in order)
        {
            if (i < spec.Inputs.Count) continue;
            var node = spec.Nodes[i - spec.Inputs.Count];
            var from = reads[i].Select(r => symbols[r]).ToArray();
            try
            {
                symbols[i] = MergeLayer.TypeNames.Contains(node.Layer.Type)
                    ? MergeLayer.Create(node.Layer).Apply(names[i], from)
                    : LayerFactory.Create(node.Layer).Apply(from[0], names[i]);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new FormatException($"node '{names[i]}' ({TextExcerpt.Of(node.Layer.ToString(), 80)}) cannot be made: {e.Message.TrimEnd('.')}", e);
            }
        }
        var model = new GraphModel(symbols[..spec.Inputs.Count], outputs.Select(o => symbols[o]).ToArray());
        if (model._nodes.Length != count)
        {
            var used = model.NodeNames.ToHashSet(StringComparer.Ordinal);
            throw new FormatException($"node '{names.First(n => !used.Contains(n))}' leads to no output of the graph");
        }
        return model;
    }

    /// <summary>The nodes in an order where each comes after those it reads (Kahn's algorithm), or an error naming a node on or after a cycle.</summary>
    private static int[] OrderOrRefuseCycle(GraphSpec spec, string[] names, int[][] reads)
    {
        int count = names.Length;
        var waiting = new int[count];
        var readers = new List<int>[count];
        for (int i = 0; i < count; i++) readers[i] = [];
        for (int i = spec.Inputs.Count; i < count; i++)
            foreach (int r in reads[i]) { waiting[i]++; readers[r].Add(i); }
        var ready = new Queue<int>(Enumerable.Range(0, count).Where(i => waiting[i] == 0));
        var order = new List<int>(count);
        while (ready.Count > 0)
        {
            int i = ready.Dequeue();
            order.Add(i);
            foreach (int c in readers[i])
                if (--waiting[c] == 0) ready.Enqueue(c);
        }
        if (order.Count < count)
        {
            var stuck = Enumerable.Range(0, count).Where(i => waiting[i] > 0).Select(i => $"'{names[i]}'").ToArray();
            throw new FormatException($"the graph has a cycle: {string.Join(", ", stuck.Take(4))}{(stuck.Length > 4 ? $" and {stuck.Length - 4} more" : "")} read themselves through other nodes");
        }
        return order.ToArray();
    }

    /// <summary>
    /// A table of nodes in topological order: name, layer (its spec), per-sample output shape, parameter
    /// count ("?" before <see cref="Build(Rng)"/>) and the nodes it reads; then the totals.
    /// </summary>
    public override string Summary()
    {
        var rows = _nodes.Select(n => (
            Node: n.Name,
            Layer: n.IsInput ? "Input" : (n.Layer?.Spec ?? n.Merge!.Spec).ToString(),
            Shape: Tensor.FormatShape(n.Shape),
            Count: n.IsInput ? "" : _isBuilt ? (n.Layer?.ParameterCount ?? 0).ToString("N0", CultureInfo.InvariantCulture) : "?",
            Inputs: string.Join(", ", n.Reads.Select(r => _nodes[r].Name)))).ToList();
        int w0 = Math.Max(4, rows.Max(r => r.Node.Length));
        int w1 = Math.Max(5, rows.Max(r => r.Layer.Length));
        int w2 = Math.Max(12, rows.Max(r => r.Shape.Length));
        int w3 = Math.Max(10, rows.Max(r => r.Count.Length));
        int width = w0 + w1 + w2 + w3 + 8 + Math.Max(6, rows.Max(r => r.Inputs.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"{"Node".PadRight(w0)}  {"Layer".PadRight(w1)}  {"Output shape".PadRight(w2)}  {"Parameters".PadLeft(w3)}  Inputs");
        sb.AppendLine(new string('-', width));
        foreach (var r in rows)
            sb.AppendLine($"{r.Node.PadRight(w0)}  {r.Layer.PadRight(w1)}  {r.Shape.PadRight(w2)}  {r.Count.PadLeft(w3)}  {r.Inputs}".TrimEnd());
        sb.AppendLine(new string('-', width));
        sb.AppendLine($"Outputs: {string.Join(", ", _outputNodes.Select(o => _nodes[o].Name))}");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Trainable parameters: {ParameterCount:N0}"));
        long buffers = BufferCount;
        if (buffers > 0) sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Non-trainable values (buffers): {buffers:N0}"));
        return sb.ToString();
    }
}
