using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>
/// The names under which a model's tensors are saved: "{path}.{parameter}" for trainable parameters
/// and "{path}.{buffer}" for non-trainable state, path = the layer's <see cref="Model.NamedLayers"/>
/// path: "layers.0.weight", "layers.2.running_mean" (i = the layer's position in a <see cref="Sequential"/>),
/// "nodes.dense_1.weight" (a node of a <see cref="GraphModel"/>).
/// </summary>
public static class ModelTensors
{
    /// <summary>Every parameter and buffer of <paramref name="model"/> by name, in layer order (the live tensors, not copies).</summary>
    public static List<(string Name, Tensor Value)> Collect(Model model)
    {
        if (!model.IsBuilt) throw new InvalidOperationException("The model is not built: build it (or train it) before saving.");
        var list = new List<(string, Tensor)>();
        foreach (var (path, layer) in model.NamedLayers)
        {
            foreach (var p in layer.Parameters) list.Add(($"{path}.{p.Name}", p.Value));
            foreach (var (name, value) in layer.Buffers) list.Add(($"{path}.{name}", value));
        }
        return list;
    }

    /// <summary>
    /// Refuses a model whose parameters or buffers hold a NaN or an infinity: read from a file, such a
    /// value would make every prediction NaN without a word.
    /// </summary>
    /// <exception cref="ModelFileException">A value is not finite; the message names the tensor and the first such index.</exception>
    public static void RequireFinite(Model model, string path)
    {
        foreach (var (name, value) in Collect(model))
        {
            var span = value.Span;
            for (int i = 0; i < span.Length; i++)
                if (!float.IsFinite(span[i]))
                    throw new ModelFileException(path, $"tensor '{name}' holds {span[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at index {i} (weights must be finite numbers)");
        }
    }

    /// <summary>The generators of stochastic layers (Dropout) by name "{path}.rng" ("layers.3.rng").</summary>
    public static List<(string Name, Rng Rng)> CollectRngs(Model model)
    {
        var list = new List<(string, Rng)>();
        foreach (var (path, layer) in model.NamedLayers)
            if (layer is IStochasticLayer s) list.Add(($"{path}.rng", s.Rng));
        return list;
    }

    /// <summary>
    /// Copies tensors into <paramref name="model"/>'s parameters and buffers. Every expected name must
    /// be present with the right shape, and no other name may be given.
    /// </summary>
    /// <exception cref="ModelFileException">A tensor is missing, has the wrong shape, or is unexpected.</exception>
    public static void Assign(Model model, IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        var expected = Collect(model);
        foreach (var (name, value) in expected)
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new ModelFileException(path, $"tensor '{SafeTensorsReader.Q(name)}' is missing (the architecture needs it with shape {SafeTensorsReader.ShapeText(value)})");
            if (!t.SameShape(value))
                throw new ModelFileException(path, $"tensor '{SafeTensorsReader.Q(name)}' has shape {SafeTensorsReader.ShapeText(t)} but the model expects {SafeTensorsReader.ShapeText(value)}");
        }
        var names = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in tensors.Keys)
            if (!names.Contains(name)) throw new ModelFileException(path, $"unexpected tensor '{SafeTensorsReader.Q(name)}' (the architecture has no such parameter or buffer)");
        foreach (var (name, value) in expected) tensors[name].Span.CopyTo(value.Span);
    }
}
