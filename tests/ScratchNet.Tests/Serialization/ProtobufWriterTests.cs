using ScratchNet.Serialization;

namespace ScratchNet.Tests.Serialization;

/// <summary>The wire format against the examples of the protobuf encoding guide and hand-worked bytes.</summary>
public class ProtobufWriterTests
{
    [Theory]
    [InlineData(1, 150L, new byte[] { 0x08, 0x96, 0x01 })]                     // the guide's first example
    [InlineData(2, 0L, new byte[] { 0x10, 0x00 })]
    [InlineData(1, 300L, new byte[] { 0x08, 0xAC, 0x02 })]
    [InlineData(20, 7L, new byte[] { 0xA0, 0x01, 0x07 })]                      // a key of two bytes: 20·8 + 0 = 160
    [InlineData(3, -1L, new byte[] { 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // two's complement, 10 bytes
    public void VarintFields(int field, long value, byte[] expected)
    {
        var w = new ProtobufWriter();
        w.Int64(field, value);
        Assert.Equal(expected, w.ToArray());
    }

    [Fact]
    public void FloatStringAndNestedFields()
    {
        var w = new ProtobufWriter();
        w.Float(2, 1f);                                   // wire type 5: 0x15, then 1.0f little-endian
        w.String(2, "testing");                           // the guide's string example: 0x12 0x07 "testing"
        w.Message(3, inner => inner.Int64(1, 150));       // the guide's nested example: 0x1a 0x03 0x08 0x96 0x01
        Assert.Equal(
            [0x15, 0x00, 0x00, 0x80, 0x3F, 0x12, 0x07, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'n', (byte)'g', 0x1A, 0x03, 0x08, 0x96, 0x01],
            w.ToArray());
    }
}
