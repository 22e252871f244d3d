namespace ScratchNet.Serialization;

/// <summary>The tensors and metadata of a safetensors file.</summary>
public sealed class SafeTensorsContent(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
{
    private readonly Dictionary<string, SafeTensor> _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The tensors in file order.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; } = tensors;

    /// <summary>The __metadata__ strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public SafeTensor? Find(string name) => _byName.GetValueOrDefault(name);
}
