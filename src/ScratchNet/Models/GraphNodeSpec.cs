using ScratchNet.Layers;

namespace ScratchNet.Models;

/// <summary>One computed node of a <see cref="GraphSpec"/>: its name, what computes it and what it reads.</summary>
/// <param name="Name">The node name ("dense_1"); its tensors are saved as "nodes.{Name}.{parameter}".</param>
/// <param name="Layer">The layer's or merge's spec (type and settings).</param>
/// <param name="Inputs">The names of the nodes it reads, in order: one for a layer, two or more for a merge.</param>
public sealed record GraphNodeSpec(string Name, LayerSpec Layer, IReadOnlyList<string> Inputs);
