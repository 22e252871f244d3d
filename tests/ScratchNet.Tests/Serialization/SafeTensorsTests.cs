using System.Buffers.Binary;
using System.Text;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Serialization;

public class SafeTensorsTests
{
    /// <summary>An 8-byte length, the header text as given, then <paramref name="dataLength"/> bytes.</summary>
    internal static byte[] Raw(string header, int dataLength, ulong? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    private static string Refused(byte[] content)
    {
        using var dir = new TempFolder();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<ModelFileException>(() => SafeTensorsFile.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        // The model loader must refuse it the same way (never another exception type).
        var e2 = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.StartsWith(path + ": ", e2.Message);
        return e.Problem;
    }

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        var a = Tensor.FromArray([1f, -2.5f, float.Epsilon, float.MaxValue, 0f, -0f], 2, 3);
        SafeTensorsFile.Write(path, [SafeTensor.FromTensor("a", a), SafeTensor.FromUInt64("s", [1UL, ulong.MaxValue]), new SafeTensor("empty", "F32", [0, 4], [])],
            new Dictionary<string, string> { ["k"] = "v \"quoted\" ü" });
        var c = SafeTensorsFile.Read(path);
        Assert.Equal("v \"quoted\" ü", c.Metadata["k"]);
        var back = c.Find("a")!.ToTensor();
        Assert.Equal([2, 3], back.ShapeArray());
        Assert.Equal(a.ToArray().Select(BitConverter.SingleToInt32Bits), back.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal([1UL, ulong.MaxValue], c.Find("s")!.ToUInt64());
        Assert.Equal([0L, 4L], c.Find("empty")!.Shape);
        // Header padded so the data area starts 8-byte aligned.
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path));
        Assert.Equal(0UL, n % 8);
        Assert.Equal(["t.safetensors"], dir.Files());
    }

    [Fact]
    public void FileShorterThanTheLength() =>
        Assert.Equal("the file is 5 bytes, too short for the 8-byte header length of a safetensors file", Refused([1, 2, 3, 4, 5]));

    [Fact]
    public void HeaderLongerThanTheFile() =>
        Assert.Equal("header length 1,000 is longer than the rest of the file (2 bytes)", Refused(Raw("{}", 0, 1000)));

    [Fact]
    public void AbsurdHeaderLength() =>
        Assert.StartsWith("header length 18,446,744,073,709,551,615 is absurd", Refused(Raw("{}", 0, ulong.MaxValue)));

    [Fact]
    public void HeaderNotJson() => Assert.StartsWith("the header is not valid JSON", Refused(Raw("{not json", 0)));

    [Fact]
    public void HeaderNotAnObject() => Assert.Equal("the header is a JSON array, not an object", Refused(Raw("[1, 2, 3]", 0)));

    [Fact]
    public void EntryNotAnObject() =>
        Assert.Equal("tensor 'w' is described by a JSON number, not an object with dtype, shape and data_offsets", Refused(Raw("{\"w\": 5}", 0)));

    [Fact]
    public void MetadataNotStrings() =>
        Assert.Equal("__metadata__ value 'epochs' is a JSON number, not a string", Refused(Raw("{\"__metadata__\": {\"epochs\": 3}}", 0)));

    [Fact]
    public void UnknownDtype() =>
        Assert.StartsWith("tensor 'w' has unknown dtype 'F33'",
            Refused(Raw("{\"w\": {\"dtype\": \"F33\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8)));

    [Fact]
    public void OffsetsOutOfRange() =>
        Assert.Equal("tensor 'w' data_offsets [0, 800] are outside the 8-byte data area",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [200], \"data_offsets\": [0, 800]}}", 8)));

    [Fact]
    public void OffsetsBackwards() =>
        Assert.Equal("tensor 'w' data_offsets [8, 0] end before they begin",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 8)));

    [Fact]
    public void NegativeOffset() =>
        Assert.Equal("tensor 'w' data_offsets has '-8', not a non-negative integer",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [-8, 0]}}", 8)));

    [Fact]
    public void OverlappingTensors() =>
        Assert.Equal("tensor 'b' data_offsets [4, 12] overlap tensor 'a' [0, 8]",
            Refused(Raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12)));

    [Fact]
    public void GapBetweenTensors() =>
        Assert.StartsWith("tensor 'b' starts at byte 12 of the data area, leaving a gap after byte 8",
            Refused(Raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 16]}}", 16)));

    [Fact]
    public void ShapeDisagreesWithByteLength() =>
        Assert.Equal("tensor 'w' shape [3, 3] of F32 needs 36 bytes but data_offsets [0, 8] hold 8",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [3, 3], \"data_offsets\": [0, 8]}}", 8)));

    [Fact]
    public void ShapeOverflows() =>
        Assert.Equal("tensor 'w' shape [4294967296, 4294967296, 4] overflows: its byte size does not fit in 64 bits",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4], \"data_offsets\": [0, 8]}}", 8)));

    [Fact]
    public void ByteSizeOverflows() =>
        // The element count fits in 64 bits; times 8 bytes it does not.
        Assert.Contains("overflows", Refused(Raw("{\"w\": {\"dtype\": \"F64\", \"shape\": [4611686018427387904], \"data_offsets\": [0, 8]}}", 8)));

    [Fact]
    public void NegativeDimension() =>
        Assert.Equal("tensor 'w' shape has '-2', not a non-negative integer",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", 8)));

    [Fact]
    public void TrailingBytes() =>
        Assert.Equal("the data area has 12 bytes but the tensors cover 8 (truncated or trailing bytes)",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 12)));

    [Fact]
    public void DuplicateNames() =>
        Assert.Equal("the header names 'w' twice",
            Refused(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8)));

    [Fact]
    public void MissingFile()
    {
        var e = Assert.Throws<ModelFileException>(() => SafeTensorsFile.Read("/nonexistent/m.safetensors"));
        Assert.Equal("/nonexistent/m.safetensors: file not found", e.Message);
    }

    [Fact]
    public void TruncatedRealFileIsRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.safetensors");
        SafeTensorsFile.Write(path, [SafeTensor.FromTensor("a", new Tensor(10, 10))]);
        var bytes = File.ReadAllBytes(path);
        Assert.Contains("are outside the", Refused(bytes[..^17]));
    }
}
