using ScratchNet.Layers;
using ScratchNet.Models;

namespace ScratchNet.Serialization;

/// <summary>
/// Saves and loads whole models as one safetensors file: the weights as F32 tensors named
/// "layers.{i}.{name}" (a <see cref="Sequential"/>) or "nodes.{node}.{name}" (a <see cref="GraphModel"/>)
/// and, in <c>__metadata__</c>, everything needed to rebuild the model and use it (architecture: the
/// layers, or the graph's nodes and edges; dataset, class names, preprocessing). PyTorch and other tools can read the
/// weights (see bench/safetensors_torch.py).
/// </summary>
/// <example>
/// <code>
/// ModelFile.Save("mnist.safetensors", model, new ModelMetadata { Dataset = "mnist", ClassNames = train.ClassNames.ToArray() });
/// var (model2, meta) = ModelFile.Load("mnist.safetensors");
/// </code>
/// </example>
public static class ModelFile
{
    /// <summary>
    /// Writes <paramref name="model"/> (built) and <paramref name="metadata"/> to <paramref name="path"/>
    /// atomically. The metadata's architecture (InputShape, and Layers or Graph) is set from the model.
    /// </summary>
    public static void Save(string path, Model model, ModelMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var meta = metadata ?? new ModelMetadata();
        var tensors = ModelTensors.Collect(model).Select(t => SafeTensor.FromTensor(t.Name, t.Value)).ToList();
        var architecture = meta.WithArchitectureOf(model);
        meta.InputShape = architecture.InputShape;
        meta.Layers = architecture.Layers;
        meta.Graph = architecture.Graph;
        SafeTensorsFile.Write(path, tensors, meta.ToDictionary());
    }

    /// <summary>
    /// Reads a model file: validates it, rebuilds the layers from the architecture with
    /// <see cref="LayerFactory.Create"/>, and loads the weights.
    /// </summary>
    /// <exception cref="ModelFileException">The file is missing, malformed, hostile, its tensors do not fit its architecture, or it holds a graph model (read it with <see cref="LoadModel"/>).</exception>
    public static (Sequential Model, ModelMetadata Metadata) Load(string path)
    {
        var (model, meta) = LoadModel(path);
        return model is Sequential sequential ? (sequential, meta)
            : throw new ModelFileException(path, "it holds a graph model (nodes and edges), not a Sequential stack of layers");
    }

    /// <summary>
    /// Reads a model file of either kind: a <see cref="Sequential"/> or a <see cref="GraphModel"/>
    /// (validated as <see cref="Load"/> does, the graph also as data: see <see cref="GraphModel.FromSpec"/>).
    /// </summary>
    /// <exception cref="ModelFileException">The file is missing, malformed, hostile, or its tensors do not fit its architecture.</exception>
    public static (Model Model, ModelMetadata Metadata) LoadModel(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        var meta = ModelMetadata.FromDictionary(reader.Metadata, path);
        var model = Rebuild(meta, path, reader.FileLength);
        LoadWeights(reader, model);
        return (model, meta);
    }

    /// <summary>
    /// A built model of <paramref name="meta"/>'s architecture (weights from a fixed seed, to be
    /// overwritten). Before anything is allocated, every layer is measured (<see cref="Layer.Cost"/>):
    /// the parameters and buffers it will allocate must fit in <paramref name="fileBytes"/>, the size of
    /// the file that must hold them, and the activations and work per sample must stay within
    /// <see cref="Limits.MaxActivationsPerSample"/> and <see cref="Limits.MaxMultiplyAddsPerSample"/>.
    /// So a hostile architecture ("Dense, units = 10^9", "Conv2D of 1,000 filters of 30 x 30" in a
    /// 688-byte file) is refused in microseconds, without allocating.
    /// </summary>
    internal static Model Rebuild(ModelMetadata meta, string path, long fileBytes) =>
        meta.Graph is null ? RebuildSequential(meta, path, fileBytes) : RebuildGraph(meta, meta.Graph, path, fileBytes);

    /// <summary>The <see cref="Sequential"/> of <paramref name="meta"/>'s layers, measured as <see cref="Rebuild"/> says.</summary>
    internal static Sequential RebuildSequential(ModelMetadata meta, string path, long fileBytes)
    {
        if (meta.Graph is not null) throw new ModelFileException(path, "it holds a graph model (nodes and edges), not a Sequential stack of layers");
        if (meta.Layers.Count > Limits.MaxLayers)
            throw new ModelFileException(path, $"the architecture lists {meta.Layers.Count:N0} layers (at most {Limits.MaxLayers:N0})");
        var layers = new Layer[meta.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            try { layers[i] = LayerFactory.Create(meta.Layers[i]); }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new ModelFileException(path, $"layer {i} ({Excerpt(meta.Layers[i])}) cannot be rebuilt: {e.Message.TrimEnd('.')}", e);
            }
        }
        long inputs = LayerCost.Elements(meta.InputShape), planned = 0, activations = inputs, work = 0;
        int[] shape = meta.InputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            LayerCost cost;
            try
            {
                cost = layers[i].Cost(shape);
                shape = layers[i].OutputShape(shape);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new ModelFileException(path, $"layer {i} ({Excerpt(meta.Layers[i])}) does not accept input shape ({string.Join(", ", shape)}): {e.Message.TrimEnd('.')}", e);
            }
            planned = LayerCost.Plus(planned, LayerCost.Times(4, cost.StoredFloats));
            if (planned > fileBytes)
                throw new ModelFileException(path, $"the architecture needs at least {Count(planned)} bytes of parameters by layer {i} ({Excerpt(meta.Layers[i])}) but the file has only {fileBytes:N0} bytes");
            activations = LayerCost.Plus(activations, cost.OutputFloats);
            if (activations > Limits.MaxActivationsPerSample)
                throw new ModelFileException(path, $"the architecture produces {Count(activations)} values per sample by layer {i} ({Excerpt(meta.Layers[i])}) (at most {Limits.MaxActivationsPerSample:N0})");
            work = LayerCost.Plus(work, cost.MultiplyAdds);
            if (work > Limits.MaxMultiplyAddsPerSample)
                throw new ModelFileException(path, $"the architecture takes {Count(work)} multiply-adds per sample by layer {i} ({Excerpt(meta.Layers[i])}) (at most {Limits.MaxMultiplyAddsPerSample:N0})");
        }
        if (inputs > Limits.MaxActivationsPerSample)
            throw new ModelFileException(path, $"input_shape ({string.Join(", ", meta.InputShape)}) has {Count(inputs)} values per sample (at most {Limits.MaxActivationsPerSample:N0})");
        if (meta.Standardizer is { } st && st.FeatureCount != inputs)
            throw new ModelFileException(path, $"the preprocessing has {st.FeatureCount:N0} features but the model's input has {inputs:N0} values");
        if (meta.Encoding is { } enc && enc.Width != inputs)
            throw new ModelFileException(path, $"the table encoding makes {enc.Width:N0} inputs but the model's input has {inputs:N0} values");
        try { return new Sequential(layers).Build(meta.InputShape, new Rng(0)); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the architecture does not build for input shape ({string.Join(", ", meta.InputShape)}): {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// The <see cref="GraphModel"/> of <paramref name="graph"/>: the graph checked as data
    /// (<see cref="GraphModel.FromSpec"/>), then every node measured as for a Sequential before it is built.
    /// </summary>
    private static GraphModel RebuildGraph(ModelMetadata meta, GraphSpec graph, string path, long fileBytes)
    {
        GraphModel model;
        try { model = GraphModel.FromSpec(graph); }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the graph cannot be rebuilt: {e.Message.TrimEnd('.')}", e);
        }
        if (!meta.InputShape.AsSpan().SequenceEqual(model.InputShape))
            throw new ModelFileException(path, $"input_shape ({string.Join(", ", meta.InputShape)}) is not the shape of the graph's first input ({string.Join(", ", model.InputShape)})");
        long planned = 0, activations = 0, work = 0;
        foreach (var shape in model.InputShapes) activations = LayerCost.Plus(activations, LayerCost.Elements(shape));
        if (activations > Limits.MaxActivationsPerSample)
            throw new ModelFileException(path, $"the graph's inputs have {Count(activations)} values per sample (at most {Limits.MaxActivationsPerSample:N0})");
        IReadOnlyList<(string Node, LayerCost Cost)> costs;
        try { costs = model.Costs(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the graph cannot be rebuilt: {e.Message.TrimEnd('.')}", e);
        }
        foreach (var (node, cost) in costs)
        {
            planned = LayerCost.Plus(planned, LayerCost.Times(4, cost.StoredFloats));
            if (planned > fileBytes)
                throw new ModelFileException(path, $"the graph needs at least {Count(planned)} bytes of parameters by node '{node}' but the file has only {fileBytes:N0} bytes");
            activations = LayerCost.Plus(activations, cost.OutputFloats);
            if (activations > Limits.MaxActivationsPerSample)
                throw new ModelFileException(path, $"the graph produces {Count(activations)} values per sample by node '{node}' (at most {Limits.MaxActivationsPerSample:N0})");
            work = LayerCost.Plus(work, cost.MultiplyAdds);
            if (work > Limits.MaxMultiplyAddsPerSample)
                throw new ModelFileException(path, $"the graph takes {Count(work)} multiply-adds per sample by node '{node}' (at most {Limits.MaxMultiplyAddsPerSample:N0})");
        }
        long inputs = LayerCost.Elements(model.InputShape);
        if (meta.Standardizer is { } st && st.FeatureCount != inputs)
            throw new ModelFileException(path, $"the preprocessing has {st.FeatureCount:N0} features but the model's input has {inputs:N0} values");
        if (meta.Encoding is { } enc && enc.Width != inputs)
            throw new ModelFileException(path, $"the table encoding makes {enc.Width:N0} inputs but the model's input has {inputs:N0} values");
        try { return model.Build(new Rng(0)); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the graph does not build: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>A count for a message; counts saturate rather than overflow (<see cref="LayerCost"/>).</summary>
    private static string Count(long n) => n == long.MaxValue ? "more than 2^63" : n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A layer's spec for a message, cut short: a hostile file may give a setting of megabytes.</summary>
    private static string Excerpt(LayerSpec spec) => TextExcerpt.Of(spec.ToString(), 80);

    /// <summary>
    /// Reads the weights of <paramref name="model"/> from <paramref name="reader"/>, straight into the
    /// parameters (tensors named with <paramref name="prefix"/> + the <see cref="ModelTensors"/> name).
    /// Unexpected tensors are refused (with a prefix: only those under prefix + "layers." or "nodes."), and so are
    /// NaN and infinite values, which would make every prediction NaN without a word.
    /// </summary>
    internal static void LoadWeights(SafeTensorsReader reader, Model model, string prefix = "")
    {
        var expected = ModelTensors.Collect(model);
        foreach (var (name, value) in expected)
        {
            var entry = reader.Find(prefix + name)
                ?? throw new ModelFileException(reader.Path, $"tensor '{SafeTensorsReader.Q(prefix + name)}' is missing (the architecture needs it with shape {SafeTensorsReader.ShapeText(value)})");
            reader.ReadInto(entry, value);
        }
        ModelTensors.RequireFinite(model, reader.Path);
        var names = expected.Select(e => prefix + e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var e in reader.Entries)
            if ((prefix.Length == 0 || e.Name.StartsWith(prefix + "layers.", StringComparison.Ordinal) || e.Name.StartsWith(prefix + "nodes.", StringComparison.Ordinal))
                && !names.Contains(e.Name))
                throw new ModelFileException(reader.Path, $"unexpected tensor '{SafeTensorsReader.Q(e.Name)}' (the architecture has no such parameter or buffer)");
    }
}
