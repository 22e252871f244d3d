using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Models;

namespace ScratchNet.Serialization;

/// <summary>
/// What a model file remembers besides the weights, stored as strings in the safetensors
/// <c>__metadata__</c>: the architecture (input shape and layer specs, as JSON), the dataset, class
/// names, the preprocessing (standardizer parameters) and free-form extras (loss, optimizer,
/// accuracy). <see cref="ModelFile.Save"/> fills <see cref="InputShape"/> and <see cref="Layers"/> (a
/// <see cref="Sequential"/>) or <see cref="Graph"/> (a <see cref="GraphModel"/>) from the model.
/// </summary>
public sealed class ModelMetadata
{
    /// <summary>The format marker stored under "format".</summary>
    public const string FormatName = "scratchnet";

    /// <summary>The version stored under "format_version".</summary>
    public const string FormatVersion = "1";

    /// <summary>Keys this class owns; <see cref="Extra"/> may not use them.</summary>
    public static readonly string[] ReservedKeys =
        ["format", "format_version", "architecture", "dataset", "task", "class_names", "feature_names", "target", "preprocessing", "table_encoding", "vocabulary", GeneratorSpec.Key];

    /// <summary>The per-sample input shape (of the first input, for a graph of several).</summary>
    public int[] InputShape { get; set; } = [];

    /// <summary>The layers, in order (a <see cref="Sequential"/>; empty for a graph).</summary>
    public IReadOnlyList<LayerSpec> Layers { get; set; } = [];

    /// <summary>A <see cref="GraphModel"/>'s inputs, nodes and outputs; null for a <see cref="Sequential"/>.</summary>
    public GraphSpec? Graph { get; set; }

    /// <summary>The dataset the model was trained on ("mnist"), if known.</summary>
    public string? Dataset { get; set; }

    /// <summary>"classification" or "regression", if known.</summary>
    public string? Task { get; set; }

    /// <summary>Class names in output order (empty for regression).</summary>
    public IReadOnlyList<string> ClassNames { get; set; } = [];

    /// <summary>Input feature names for tables.</summary>
    public IReadOnlyList<string> FeatureNames { get; set; } = [];

    /// <summary>The target column for tables.</summary>
    public string? Target { get; set; }

    /// <summary>The input scaling fitted on the training split, applied before the model at prediction time.</summary>
    public Standardizer? Standardizer { get; set; }

    /// <summary>Tables: how a row's cells become the model's inputs (one-hot categories, fills for missing cells, the target's scaling).</summary>
    public TableEncoding? Encoding { get; set; }

    /// <summary>Language models: the character vocabulary, which encodes prompts and decodes samples.</summary>
    public CharVocabulary? Vocabulary { get; set; }

    /// <summary>Autoencoders and image generators: the decoder inside the model and how it draws (docs/GENERATIVE.md); null for other models.</summary>
    public GeneratorSpec? Generator { get; set; }

    /// <summary>Other strings to keep (loss, optimizer, epochs, test accuracy, ...).</summary>
    public Dictionary<string, string> Extra { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A copy of this metadata with <see cref="InputShape"/> and <see cref="Layers"/> or
    /// <see cref="Graph"/> taken from <paramref name="model"/> (built); the other fields are shared, not copied.
    /// </summary>
    public ModelMetadata WithArchitectureOf(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is GanModel gan) model = gan.Stack; // a GAN is saved as its stack z ↦ D(G(z))
        return new ModelMetadata
        {
            InputShape = model.InputShape,
            Layers = model is Sequential sequential ? sequential.Layers.Select(l => l.Spec).ToArray() : [],
            Graph = model switch
            {
                Sequential => null,
                GraphModel graph => graph.Spec,
                _ => throw new NotSupportedException($"A model file holds a Sequential or a GraphModel, not a {model.GetType().Name}."),
            },
            Dataset = Dataset, Task = Task, ClassNames = ClassNames, FeatureNames = FeatureNames, Target = Target,
            Standardizer = Standardizer, Encoding = Encoding, Vocabulary = Vocabulary, Generator = Generator, Extra = new Dictionary<string, string>(Extra, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The architecture as JSON: {"input_shape":[784],"layers":[{"type":"Dense","settings":{"units":"128"}}]}
    /// for a Sequential; for a graph, "graph" in place of "layers":
    /// {"inputs":[{"name":"x","shape":[784]}],"nodes":[{"name":"dense_1","type":"Dense","settings":{...},"inputs":["x"]}],"outputs":["dense_1"]}.
    /// </summary>
    public string ArchitectureJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("input_shape");
            foreach (int d in InputShape) w.WriteNumberValue(d);
            w.WriteEndArray();
            if (Graph is { } graph) WriteGraph(w, graph);
            else
            {
                w.WriteStartArray("layers");
                foreach (var spec in Layers)
                {
                    w.WriteStartObject();
                    WriteLayer(w, spec);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteLayer(Utf8JsonWriter w, LayerSpec spec)
    {
        w.WriteString("type", spec.Type);
        w.WriteStartObject("settings");
        foreach (var (k, v) in spec.Settings) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static void WriteGraph(Utf8JsonWriter w, GraphSpec graph)
    {
        w.WriteStartObject("graph");
        w.WriteStartArray("inputs");
        foreach (var input in graph.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("name", input.Name);
            w.WriteStartArray("shape");
            foreach (int d in input.Shape) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("nodes");
        foreach (var node in graph.Nodes)
        {
            w.WriteStartObject();
            w.WriteString("name", node.Name);
            WriteLayer(w, node.Layer);
            w.WriteStartArray("inputs");
            foreach (var name in node.Inputs) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("outputs");
        foreach (var name in graph.Outputs) w.WriteStringValue(name);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>All fields as the __metadata__ map.</summary>
    public Dictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Extra)
        {
            if (ReservedKeys.Contains(k)) throw new ArgumentException($"Metadata key '{k}' is reserved; use the matching ModelMetadata property.");
            d[k] = v;
        }
        d["format"] = FormatName;
        d["format_version"] = FormatVersion;
        d["architecture"] = ArchitectureJson();
        if (Dataset != null) d["dataset"] = Dataset;
        if (Task != null) d["task"] = Task;
        if (ClassNames.Count > 0) d["class_names"] = JsonSerializer.Serialize(ClassNames);
        if (FeatureNames.Count > 0) d["feature_names"] = JsonSerializer.Serialize(FeatureNames);
        if (Target != null) d["target"] = Target;
        if (Standardizer != null) d["preprocessing"] = Standardizer.ToJson();
        if (Encoding != null) d["table_encoding"] = Encoding.ToJson();
        if (Vocabulary != null) d["vocabulary"] = Vocabulary.ToJson();
        if (Generator != null) d[GeneratorSpec.Key] = Generator.ToJson();
        return d;
    }

    private static int[] ReadShape(JsonElement shape, string what)
    {
        if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() is 0 or > Limits.MaxInputRank)
            throw new FormatException($"{what} must be an array of 1 to {Limits.MaxInputRank} dimensions");
        return shape.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v > 0
            ? v : throw new FormatException($"{what} has '{TextExcerpt.Of(e.GetRawText())}', not a positive whole number below 2^31")).ToArray();
    }

    private static LayerSpec ReadLayer(JsonElement l) => new(
        l.GetProperty("type").GetString() ?? throw new FormatException("a layer has no type"),
        l.TryGetProperty("settings", out var s) && s.ValueKind == JsonValueKind.Object
            ? s.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : new Dictionary<string, string>());

    /// <summary>The "graph" object, its arrays checked against <see cref="Limits.MaxGraphNodes"/> before they are read.</summary>
    private static GraphSpec ReadGraph(JsonElement graph)
    {
        if (graph.ValueKind != JsonValueKind.Object) throw new FormatException("graph is not an object");
        JsonElement Array(JsonElement parent, string name, string what)
        {
            var a = parent.GetProperty(name);
            if (a.ValueKind != JsonValueKind.Array) throw new FormatException($"{what} is not an array");
            if (a.GetArrayLength() > Limits.MaxGraphNodes)
                throw new FormatException($"{what} lists {a.GetArrayLength():N0} entries (at most {Limits.MaxGraphNodes:N0}, Limits.MaxGraphNodes)");
            return a;
        }
        string Name(JsonElement e, string what) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{what} is not a string");
        var inputs = Array(graph, "inputs", "graph.inputs").EnumerateArray()
            .Select(i => new GraphInputSpec(Name(i.GetProperty("name"), "an input's name"), ReadShape(i.GetProperty("shape"), "an input's shape"))).ToArray();
        var nodes = Array(graph, "nodes", "graph.nodes").EnumerateArray()
            .Select(n => new GraphNodeSpec(Name(n.GetProperty("name"), "a node's name"), ReadLayer(n),
                Array(n, "inputs", "a node's inputs").EnumerateArray().Select(e => Name(e, "a node's input")).ToArray())).ToArray();
        var outputs = Array(graph, "outputs", "graph.outputs").EnumerateArray().Select(e => Name(e, "an output")).ToArray();
        return new GraphSpec(inputs, nodes, outputs);
    }

    /// <summary>Reads the __metadata__ map of a model file.</summary>
    /// <exception cref="ModelFileException">Not a ScratchNet model, or a field is malformed.</exception>
    public static ModelMetadata FromDictionary(IReadOnlyDictionary<string, string> d, string path)
    {
        if (!d.TryGetValue("architecture", out var arch))
            throw new ModelFileException(path, "no 'architecture' in the __metadata__: not a ScratchNet model file (it has only weights)");
        if (d.TryGetValue("format_version", out var version) && version != FormatVersion)
            throw new ModelFileException(path, $"model format version '{TextExcerpt.Of(version)}' is not supported (this ScratchNet reads version {FormatVersion})");
        var meta = new ModelMetadata();
        try
        {
            using var doc = JsonDocument.Parse(arch);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("architecture is not a JSON object");
            meta.InputShape = ReadShape(root.GetProperty("input_shape"), "input_shape");
            if (root.TryGetProperty("graph", out var graph)) meta.Graph = ReadGraph(graph);
            else
            {
                var layers = root.GetProperty("layers");
                if (layers.ValueKind != JsonValueKind.Array) throw new FormatException("layers is not an array");
                if (layers.GetArrayLength() > Limits.MaxLayers)
                    throw new FormatException($"the architecture lists {layers.GetArrayLength():N0} layers (at most {Limits.MaxLayers:N0})");
                meta.Layers = layers.EnumerateArray().Select(ReadLayer).ToArray();
            }
            if (d.TryGetValue("class_names", out var cn)) meta.ClassNames = JsonSerializer.Deserialize<string[]>(cn) ?? [];
            if (d.TryGetValue("feature_names", out var fn)) meta.FeatureNames = JsonSerializer.Deserialize<string[]>(fn) ?? [];
            if (d.TryGetValue("preprocessing", out var pre)) meta.Standardizer = Standardizer.FromJson(pre);
            if (d.TryGetValue("table_encoding", out var enc)) meta.Encoding = TableEncoding.FromJson(enc);
            if (d.TryGetValue("vocabulary", out var vocabulary)) meta.Vocabulary = CharVocabulary.FromJson(vocabulary);
            if (d.TryGetValue(GeneratorSpec.Key, out var generator)) meta.Generator = GeneratorSpec.FromJson(generator);
            if (meta.ClassNames.Any(n => n is null)) throw new FormatException("class_names has a null entry");
            if (meta.FeatureNames.Any(n => n is null)) throw new FormatException("feature_names has a null entry");
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or NotSupportedException)
        {
            throw new ModelFileException(path, $"malformed metadata ({e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }
        meta.Dataset = d.GetValueOrDefault("dataset");
        meta.Task = d.GetValueOrDefault("task");
        if (meta.Task is not (null or "classification" or "regression"))
            throw new ModelFileException(path, $"task '{TextExcerpt.Of(meta.Task)}' is neither classification nor regression");
        meta.Target = d.GetValueOrDefault("target");
        foreach (var (k, v) in d)
            if (!ReservedKeys.Contains(k)) meta.Extra[k] = v;
        return meta;
    }
}
