namespace ScratchNet.Models;

/// <summary>
/// A graph model's architecture as data, what a model file stores: the inputs (name, per-sample
/// shape), the nodes in a topological order (name, layer or merge spec, input names) and the names of
/// the outputs. <see cref="GraphModel.FromSpec"/> rebuilds the model and refuses a malformed graph.
/// </summary>
/// <param name="Inputs">The graph's inputs, in the order Forward takes them.</param>
/// <param name="Nodes">The computed nodes, each after the nodes it reads.</param>
/// <param name="Outputs">The names of the nodes Forward returns, in order.</param>
public sealed record GraphSpec(IReadOnlyList<GraphInputSpec> Inputs, IReadOnlyList<GraphNodeSpec> Nodes, IReadOnlyList<string> Outputs);
