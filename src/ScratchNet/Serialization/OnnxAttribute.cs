namespace ScratchNet.Serialization;

/// <summary>
/// One attribute of an ONNX node (AttributeProto): an integer, a float or a list of integers.
/// </summary>
internal readonly record struct OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);
}
