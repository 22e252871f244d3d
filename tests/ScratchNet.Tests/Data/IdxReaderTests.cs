using System.Buffers.Binary;
using System.IO.Compression;
using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class IdxReaderTests
{
    internal static byte[] Idx(byte type, int[] dims, int dataLength)
    {
        var bytes = new byte[4 + 4 * dims.Length + dataLength];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        for (int i = 0; i < dataLength; i++) bytes[4 + 4 * dims.Length + i] = (byte)(i * 7);
        return bytes;
    }

    internal static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    private static DataFormatException Fails(byte[] content, string name = "bad.idx")
    {
        using var dir = new TempFolder();
        string path = dir.File(name);
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void ReadsRawAndGzipIdentically()
    {
        var raw = Idx(0x08, [3, 2, 2], 12);
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("a"), raw);
        File.WriteAllBytes(dir.File("a.gz"), Gzip(raw));
        var a = IdxReader.Read(dir.File("a"));
        var b = IdxReader.Read(dir.File("a.gz"));
        Assert.Equal([3, 2, 2], a.Dimensions);
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw)), a.Sha256);
        Assert.Equal(4, a.ItemLength);
    }

    [Fact]
    public void WrongMagicIsRefused() =>
        Assert.Contains("not an IDX file: magic 50 4b 03 04", Fails([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 5]).Message);

    [Fact]
    public void UnsupportedTypeIsRefused() =>
        Assert.Contains("unsupported IDX data type 0x0d (32-bit float)", Fails(Idx(0x0D, [1], 4)).Message);

    [Fact]
    public void BadRankIsRefused() => Assert.Contains("rank 0 is out of range", Fails([0, 0, 8, 0]).Message);

    [Fact]
    public void TooFewBytesForTheDimensions() =>
        Assert.Contains("truncated: its dimensions 10 x 4 x 4 need 160 data bytes but only 100 follow the header", Fails(Idx(0x08, [10, 4, 4], 100)).Message);

    [Fact]
    public void TooManyBytesForTheDimensions() =>
        Assert.Contains("has 5 bytes beyond what its dimensions 2 x 2 describe", Fails(Idx(0x08, [2, 2], 9)).Message);

    [Fact]
    public void TruncatedHeader() => Assert.Contains("truncated in the header", Fails(Idx(0x08, [2, 2], 4)[..9]).Message);

    [Fact]
    public void ZeroDimensionIsRefused() => Assert.Contains("dimension 1 is 0", Fails(Idx(0x08, [2, 0], 0)).Message);

    [Fact]
    public void HugeClaimedDimensionsDoNotAllocate() =>
        // 2^31-1 x 2^31-1 bytes claimed, 10 present: refused before any big allocation.
        Assert.Contains("need more bytes than an array can hold", Fails(Idx(0x08, [int.MaxValue, int.MaxValue], 10)).Message);

    [Fact]
    public void EmptyFile() => Assert.Contains("the file is empty", Fails([]).Message);

    [Fact]
    public void TruncatedGzipIsRefused()
    {
        var gz = Gzip(Idx(0x08, [100, 28, 28], 100 * 784));
        var e = Fails(gz[..(gz.Length / 2)], "cut.gz");
        Assert.True(e.Message.Contains("corrupt gzip data") || e.Message.Contains("truncated"), e.Message);
    }

    [Fact]
    public void GarbageAfterGzipMagicIsRefused()
    {
        var e = Fails([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "junk.gz");
        Assert.Contains("corrupt gzip data", e.Message);
    }

    [Fact]
    public void MissingFile()
    {
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read("/nonexistent/x.idx"));
        Assert.Contains("cannot open the file", e.Message);
    }

    [Fact]
    public void LabelCountMustEqualImageCount()
    {
        var images = new IdxFile([3, 2, 2], new byte[12], "");
        var labels = new IdxFile([4], new byte[4], "");
        var e = Assert.Throws<DataFormatException>(() => ImageDataset.FromIdx("toy", images, labels, 10));
        Assert.Equal("toy: the label file has 4 labels but the image file has 3 images (the counts must be equal)", e.Message);
    }

    [Fact]
    public void LabelsMustBeClassIndices()
    {
        var e = Assert.Throws<DataFormatException>(() => new ImageDataset("toy", new byte[8], [1, 12], 2, 2, 10));
        Assert.Contains("label 12 of sample 1 is not a class index below 10", e.Message);
    }
}
