using ScratchNet.Layers;
using ScratchNet.Layers.Merging;

namespace ScratchNet.Models;

/// <summary>
/// Applies layers and merges to symbolic tensors, the Keras functional style:
/// <c>var h = new Dense(64).Apply(x);</c> <c>var r = new Add().Apply(x, h);</c>.
/// Each call records one node of the graph; nothing is computed or built.
/// </summary>
public static class SymbolicTensorApply
{
    /// <summary>The node <paramref name="layer"/>(<paramref name="input"/>), named <paramref name="name"/> or after the layer.</summary>
    public static SymbolicTensor Apply(this Layer layer, SymbolicTensor input, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        return new SymbolicTensor(name, null, layer, null, [input]);
    }

    /// <summary>The node <paramref name="merge"/>(<paramref name="inputs"/>), named after the merge ("add_1").</summary>
    public static SymbolicTensor Apply(this MergeLayer merge, params SymbolicTensor[] inputs) => Apply(merge, null, inputs);

    /// <summary>The node <paramref name="merge"/>(<paramref name="inputs"/>), named <paramref name="name"/> (or after the merge when null).</summary>
    public static SymbolicTensor Apply(this MergeLayer merge, string? name, params SymbolicTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(merge);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs) ArgumentNullException.ThrowIfNull(input, nameof(inputs));
        return new SymbolicTensor(name, null, null, merge, (SymbolicTensor[])inputs.Clone());
    }
}
