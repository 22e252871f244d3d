using ScratchNet.Layers;
using ScratchNet.Layers.Merging;

namespace ScratchNet.Models;

/// <summary>
/// A tensor of a graph model before any data flows: an input (<see cref="GraphModel.Input(int[])"/>) or
/// the result of a layer or merge applied to other symbolic tensors (<see cref="SymbolicTensorApply"/>).
/// It records the edge, nothing more; <see cref="GraphModel"/> turns the recorded graph into a model.
/// </summary>
/// <example>
/// <code>
/// var x = GraphModel.Input(784);
/// var h = new ReLU().Apply(new Dense(64).Apply(x));
/// var y = new Dense(10).Apply(new Add().Apply(h, new Dense(64).Apply(x)));
/// var model = new GraphModel(x, y);
/// </code>
/// </example>
public sealed class SymbolicTensor
{
    internal SymbolicTensor(string? name, int[]? inputShape, Layer? layer, MergeLayer? merge, SymbolicTensor[] inputs)
    {
        Name = name;
        InputShape = inputShape;
        Layer = layer;
        Merge = merge;
        Inputs = inputs;
    }

    /// <summary>The node's name given when it was made, or null (the model then names it after its layer: "dense_1").</summary>
    public string? Name { get; }

    /// <summary>For a graph input, its per-sample shape; null for a node computed by a layer or merge.</summary>
    public int[]? InputShape { get; }

    /// <summary>The layer that computes this node from its one input, if any.</summary>
    public Layer? Layer { get; }

    /// <summary>The merge that computes this node from its inputs, if any.</summary>
    public MergeLayer? Merge { get; }

    /// <summary>The nodes this one is computed from (none for a graph input).</summary>
    public IReadOnlyList<SymbolicTensor> Inputs { get; }

    /// <summary>Whether this is a graph input.</summary>
    public bool IsInput => InputShape is not null;

    /// <summary>The type of what computes the node: "Input", or the layer's or merge's type name.</summary>
    public string TypeName => Layer?.TypeName ?? Merge?.TypeName ?? "Input";

    /// <inheritdoc/>
    public override string ToString() => Name ?? TypeName;
}
