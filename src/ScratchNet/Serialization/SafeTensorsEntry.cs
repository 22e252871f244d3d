namespace ScratchNet.Serialization;

/// <summary>A validated header entry: where a tensor's bytes lie in the data area.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">First byte in the data area (after the header).</param>
/// <param name="End">One past the last byte.</param>
public sealed record SafeTensorsEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Bytes of data.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as text, [a, b].</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
