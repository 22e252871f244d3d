using ScratchNet.Layers;
using ScratchNet.Models;

namespace ScratchNet.Serialization;

/// <summary>
/// Saves and loads whole models as one safetensors file: the weights as F32 tensors named
/// "layers.{i}.{name}" and, in <c>__metadata__</c>, everything needed to rebuild the model and use
/// it (architecture, dataset, class names, preprocessing). PyTorch and other tools can read the
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
    /// atomically. The metadata's InputShape and Layers are set from the model.
    /// </summary>
    public static void Save(string path, Sequential model, ModelMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var meta = metadata ?? new ModelMetadata();
        var tensors = ModelTensors.Collect(model).Select(t => SafeTensor.FromTensor(t.Name, t.Value)).ToList();
        meta.InputShape = model.InputShape;
        meta.Layers = model.Layers.Select(l => l.Spec).ToArray();
        SafeTensorsFile.Write(path, tensors, meta.ToDictionary());
    }

    /// <summary>
    /// Reads a model file: validates it, rebuilds the layers from the architecture with
    /// <see cref="LayerFactory.Create"/>, and loads the weights.
    /// </summary>
    /// <exception cref="ModelFileException">The file is missing, malformed, hostile, or its tensors do not fit its architecture.</exception>
    public static (Sequential Model, ModelMetadata Metadata) Load(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        var meta = ModelMetadata.FromDictionary(reader.Metadata, path);
        var model = Rebuild(meta, path, reader.FileLength);
        LoadWeights(reader, model);
        return (model, meta);
    }

    /// <summary>
    /// A built model of <paramref name="meta"/>'s architecture (weights from a fixed seed, to be
    /// overwritten). Before building, the parameter bytes that the dense layers will allocate are
    /// checked against <paramref name="fileBytes"/>, the size of the file that must hold them, so a
    /// hostile architecture ("Dense, units = 10^9") cannot make the loader allocate more than the
    /// file's size.
    /// </summary>
    internal static Sequential Rebuild(ModelMetadata meta, string path, long fileBytes)
    {
        var layers = new Layer[meta.Layers.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            try { layers[i] = LayerFactory.Create(meta.Layers[i]); }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new ModelFileException(path, $"layer {i} ({meta.Layers[i]}) cannot be rebuilt: {e.Message.TrimEnd('.')}", e);
            }
        }
        long planned = 0;
        int[] shape = meta.InputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            long features = shape.Aggregate(1L, (a, b) => a * b);
            try
            {
                if (layers[i] is Dense dense) planned += 4 * (features * dense.Units + (dense.UseBias ? dense.Units : 0));
                // gamma, beta, running mean and variance: at least one float each per leading dimension.
                else if (layers[i] is BatchNorm && shape.Length > 0) planned += 16L * shape[0];
                shape = layers[i].OutputShape(shape);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException)
            {
                throw new ModelFileException(path, $"layer {i} ({meta.Layers[i]}) does not accept input shape ({string.Join(", ", shape)}): {e.Message.TrimEnd('.')}", e);
            }
            if (planned > fileBytes || planned < 0)
                throw new ModelFileException(path, $"the architecture needs at least {planned:N0} bytes of parameters by layer {i} ({meta.Layers[i]}) but the file has only {fileBytes:N0} bytes");
        }
        try { return new Sequential(layers).Build(meta.InputShape, new Rng(0)); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"the architecture does not build for input shape ({string.Join(", ", meta.InputShape)}): {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// Reads the weights of <paramref name="model"/> from <paramref name="reader"/>, straight into the
    /// parameters (tensors named with <paramref name="prefix"/> + "layers.{i}.{name}").
    /// Unexpected tensors are refused (with a prefix: only those under prefix + "layers.").
    /// </summary>
    internal static void LoadWeights(SafeTensorsReader reader, Sequential model, string prefix = "")
    {
        var expected = ModelTensors.Collect(model);
        foreach (var (name, value) in expected)
        {
            var entry = reader.Find(prefix + name)
                ?? throw new ModelFileException(reader.Path, $"tensor '{prefix + name}' is missing (the architecture needs it with shape {SafeTensorsReader.ShapeText(value)})");
            reader.ReadInto(entry, value);
        }
        var names = expected.Select(e => prefix + e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var e in reader.Entries)
            if ((prefix.Length == 0 || e.Name.StartsWith(prefix + "layers.", StringComparison.Ordinal)) && !names.Contains(e.Name))
                throw new ModelFileException(reader.Path, $"unexpected tensor '{e.Name}' (the architecture has no such parameter or buffer)");
    }
}
