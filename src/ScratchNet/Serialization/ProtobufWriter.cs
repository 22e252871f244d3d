using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Serialization;

/// <summary>
/// The protobuf wire format, only as much as <see cref="OnnxExporter"/> needs. Each field is a key,
/// field number · 8 + wire type, as a varint, then its value: a varint (wire type 0: int32, int64,
/// enums), four little-endian bytes (type 5: float), or a varint length and that many bytes (type 2:
/// strings, bytes, nested messages). A varint is 7 bits per byte, least significant first, the high
/// bit set on every byte but the last; a negative int32 or int64 is written as its 64-bit two's
/// complement (10 bytes), as protobuf does.
/// </summary>
/// <remarks>
/// A nested message must be prefixed by its length, so each message is written into its own writer
/// and copied into its parent's. Repeated numbers are written unpacked (one key per value): that is
/// the encoding onnx.proto (proto2, no [packed=true] on those fields) declares, and every parser reads it.
/// </remarks>
internal sealed class ProtobufWriter
{
    private const int WireVarint = 0, WireLengthDelimited = 2, WireFixed32 = 5;
    private readonly MemoryStream _bytes = new();

    /// <summary>An int32, int64 or enum field.</summary>
    public void Int64(int field, long value)
    {
        Key(field, WireVarint);
        Varint(unchecked((ulong)value));
    }

    /// <summary>A float field (four little-endian bytes).</summary>
    public void Float(int field, float value)
    {
        Key(field, WireFixed32);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _bytes.Write(b);
    }

    /// <summary>A string field, in UTF-8.</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        _bytes.Write(value);
    }

    /// <summary>A nested message: <paramref name="write"/> writes its fields.</summary>
    public void Message(int field, Action<ProtobufWriter> write)
    {
        var inner = new ProtobufWriter();
        write(inner);
        Key(field, WireLengthDelimited);
        Varint((ulong)inner._bytes.Length);
        inner._bytes.Position = 0;
        inner._bytes.CopyTo(_bytes);
    }

    /// <summary>Copies the bytes written to <paramref name="stream"/>.</summary>
    public void CopyTo(Stream stream)
    {
        _bytes.Position = 0;
        _bytes.CopyTo(stream);
    }

    /// <summary>The bytes written.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    private void Key(int field, int wireType) => Varint((ulong)(uint)(field << 3 | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.WriteByte((byte)value);
    }
}
