namespace ScratchNet.Layers;

/// <summary>
/// A layer's type and settings as text, enough to rebuild it: ("Dense", {units: "128"}). Model
/// files store these in their metadata.
/// </summary>
public sealed record LayerSpec(string Type, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>A spec with no settings.</summary>
    public LayerSpec(string type) : this(type, new Dictionary<string, string>()) { }

    /// <summary>The setting <paramref name="key"/>, or an error that names the layer and the key.</summary>
    public string Get(string key) =>
        Settings.TryGetValue(key, out var v) ? v : throw new FormatException($"Layer '{TextExcerpt.Of(Type)}' is missing its setting '{TextExcerpt.Of(key)}'.");

    /// <summary>An integer setting.</summary>
    public int GetInt(string key) =>
        int.TryParse(Get(key), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new FormatException($"Layer '{TextExcerpt.Of(Type)}' setting '{TextExcerpt.Of(key)}' is not an integer: '{TextExcerpt.Of(Get(key))}'.");

    /// <summary>A float setting.</summary>
    public float GetFloat(string key) =>
        float.TryParse(Get(key), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float v)
            ? v : throw new FormatException($"Layer '{TextExcerpt.Of(Type)}' setting '{TextExcerpt.Of(key)}' is not a number: '{TextExcerpt.Of(Get(key))}'.");

    /// <inheritdoc/>
    public override string ToString() =>
        Settings.Count == 0 ? Type : $"{Type}({string.Join(", ", Settings.Select(kv => $"{kv.Key}={kv.Value}"))})";
}
