using System.Buffers.Binary;
using System.Text;
using ScratchNet.Cli.Input;
using ScratchNet.Layers;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Images through <c>scratchnet predict</c>, in every format it reads: a file cut short or broken is one
/// line naming the file and exit 2 (never a prediction on the blank ImageSharp puts where data is
/// missing); a header that claims a huge image is refused before anything is decoded, with bounded memory.
/// </summary>
public class ImageInputHostileTests
{
    private const long SixteenMiB = 16L << 20;

    private static string ImageModel(TempFolder dir)
    {
        string path = dir.File("digits.safetensors");
        ModelFile.Save(path, new Sequential(new Dense(10)).Build([784], 1), new ModelMetadata
        {
            Dataset = "mnist", Task = "classification", ClassNames = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(),
        });
        return path;
    }

    public static TheoryData<string> Formats => new(TestImages.Encoders.Select(e => e.Extension));

    private static byte[] Ring(string extension)
    {
        using var image = TestImages.Ring(40, 30);
        return TestImages.Encode(image, TestImages.Encoders.Single(e => e.Extension == extension).Encoder);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void AWholeImageIsPredicted(string extension)
    {
        using var dir = new TempFolder();
        string model = ImageModel(dir), path = dir.File("ring." + extension);
        File.WriteAllBytes(path, Ring(extension));
        string text = CliRunner.Ok("predict", "--model", model, "--input", path);
        Assert.Contains("40x30 image, strokes at", text);
        Assert.Contains("inverted (dark strokes on a light background)", text);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ATruncatedImageIsOneLineAndExit2(string extension)
    {
        using var dir = new TempFolder();
        string model = ImageModel(dir), path = dir.File("cut." + extension);
        var whole = Ring(extension);
        foreach (double fraction in new[] { 0.95, 0.75, 0.5, 0.2 })
        {
            File.WriteAllBytes(path, whole[..(int)(whole.Length * fraction)]);
            var refused = Refusal.Cli(2, $"{path}: ", SixteenMiB, "predict", "--model", model, "--input", path);
            Assert.Contains("truncated", refused.Line);
        }
        Refusal.OnlyFiles(dir, "digits.safetensors", Path.GetFileName(path));
    }

    /// <summary>A break in each format's structure, where the format can tell (a changed pixel in a format without checksums is only a different picture).</summary>
    public static TheoryData<string, string> Corruptions => new()
    {
        { "png", "corrupt" },                       // a byte of the compressed image data changed
        { "jpg", "corrupt" },                       // the first marker after the start of image is not a marker
        { "bmp", "corrupt, truncated or unsupported" }, // 7 bits per pixel
        { "gif", "corrupt" },                       // the first block after the colour table is neither extension nor image
        { "tiff", "corrupt" },                      // the first directory claims 65,535 entries
        { "webp", "corrupt" },                      // the VP8L signature byte is gone
        { "lossy.webp", "corrupt" },                // the VP8 start code is gone
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void ACorruptImageIsOneLineAndExit2(string extension, string expected)
    {
        using var dir = new TempFolder();
        string model = ImageModel(dir), path = dir.File("broken." + extension);
        var bytes = Ring(extension);
        switch (extension)
        {
            case "png": bytes[Find(bytes, "IDAT"u8) + 10] ^= 0x55; break;
            case "jpg": bytes[2] = 0x00; break;
            case "bmp": bytes[28] = 7; break;
            case "gif": bytes[13 + ((bytes[10] & 0x80) != 0 ? 3 << ((bytes[10] & 7) + 1) : 0)] = 0x99; break;
            case "tiff": BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4))), 0xFFFF); break;
            case "webp": bytes[20] = 0; break;
            case "lossy.webp": bytes[Find(bytes, [0x9d, 0x01, 0x2a])] = 0; break;
        }
        File.WriteAllBytes(path, bytes);
        Refusal.Cli(2, $"{path}: ", SixteenMiB, "predict", "--model", model, "--input", path);
        Assert.Contains(expected, CliRunner.Run("predict", "--model", model, "--input", path).Err);
        Refusal.OnlyFiles(dir, "digits.safetensors", Path.GetFileName(path));
    }

    /// <summary>Headers claiming the largest image each format can describe (at least 100,000 x 100,000 where the format allows it).</summary>
    public static TheoryData<string, string> HugeHeaders => new()
    {
        { "png", "PNG header gives 100000 x 100000 pixels" },
        { "bmp", "BMP header gives 65535 x 65535 pixels" },     // ImageSharp reads at most 65,535 a side
        { "tiff", "TIFF header gives 100000 x 100000 pixels" },
        { "jpg", "JPEG header gives 65535 x 65535 pixels" },   // 16-bit sizes
        { "gif", "GIF header gives 65535 x 65535 pixels" },    // 16-bit sizes
        { "webp", "WebP header gives 16384 x 16384 pixels" },  // VP8L: 14-bit sizes
    };

    [Theory]
    [MemberData(nameof(HugeHeaders))]
    public void AHugeHeaderIsRefusedBeforeDecodingWithBoundedMemory(string extension, string expected)
    {
        using var dir = new TempFolder();
        string model = ImageModel(dir), path = dir.File("huge." + extension);
        File.WriteAllBytes(path, Huge(extension));
        var refused = Refusal.Cli(2, $"{path}: {expected}: not a usable image (at most 16,000,000 pixels)", SixteenMiB, "predict", "--model", model, "--input", path);
        Assert.True(refused.Allocated < 4L << 20, $"allocated {refused.Allocated:N0} bytes");
        Refusal.Library<InvalidDataException>(expected, 4L << 20, () => GrayImage.Read(path));
        Refusal.OnlyFiles(dir, "digits.safetensors", Path.GetFileName(path));
    }

    [Fact]
    public void AFileOfNoKnownFormatIsOneLine()
    {
        using var dir = new TempFolder();
        string model = ImageModel(dir), path = dir.File("notes.jpg");
        File.WriteAllText(path, "hello, this is text");
        Refusal.Cli(2, $"{path}: not an image in a format predict reads (PNG, JPEG, BMP, GIF, WebP, TIFF or PGM; 19 bytes starting 0x68656C6C6F2C2074)", SixteenMiB,
            "predict", "--model", model, "--input", path);
    }

    [Fact]
    public void TheDecodeBudgetCountsBuffersAliveAtOnce()
    {
        var allocator = new BudgetAllocator(1000);
        var a = allocator.Allocate<float>(200);
        Assert.Throws<InvalidMemoryOperationException>(() => allocator.Allocate<byte>(201));
        a.Dispose();
        a.Dispose();
        using var b = allocator.Allocate<byte>(1000);
        Assert.Equal(1000, allocator.PeakBytes);
    }

    private static byte[] Huge(string extension)
    {
        using var one = new Image<Rgb24>(1, 1);
        switch (extension)
        {
            case "png":
                return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 0, 0, 0, 0]), .. Chunk("IEND", [])];
            case "bmp":
            {
                var b = TestImages.Encode(one, new BmpEncoder());
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), 65_535);
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), 65_535);
                return b;
            }
            case "tiff":
            {
                // Little-endian, one directory of LONG sizes, 8-bit grey, one strip of one byte.
                var t = new List<byte> { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0 };
                (ushort Tag, ushort Type, uint Value)[] entries = [(256, 4, 100_000), (257, 4, 100_000), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8 + 2 + 12 * 8 + 4), (278, 4, 100_000), (279, 4, 1)];
                t.AddRange(BitConverter.GetBytes((ushort)entries.Length));
                foreach (var (tag, type, value) in entries)
                {
                    t.AddRange(BitConverter.GetBytes(tag));
                    t.AddRange(BitConverter.GetBytes(type));
                    t.AddRange(BitConverter.GetBytes(1u));
                    t.AddRange(type == 3 ? [.. BitConverter.GetBytes((ushort)value), 0, 0] : BitConverter.GetBytes(value));
                }
                t.AddRange(new byte[5]); // no next directory; the one byte of the strip
                return [.. t];
            }
            case "jpg":
            {
                var j = TestImages.Encode(one, new JpegEncoder());
                int sof = Find(j, [0xFF, 0xC0]);
                BinaryPrimitives.WriteUInt16BigEndian(j.AsSpan(sof + 5), 65535);
                BinaryPrimitives.WriteUInt16BigEndian(j.AsSpan(sof + 7), 65535);
                return j;
            }
            case "gif":
            {
                var g = TestImages.Encode(one, new GifEncoder());
                BinaryPrimitives.WriteUInt16LittleEndian(g.AsSpan(6), 65535);
                BinaryPrimitives.WriteUInt16LittleEndian(g.AsSpan(8), 65535);
                return g;
            }
            case "webp":
            {
                var w = TestImages.Encode(one, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
                uint header = BinaryPrimitives.ReadUInt32LittleEndian(w.AsSpan(21));
                BinaryPrimitives.WriteUInt32LittleEndian(w.AsSpan(21), (header & 0xF0000000u) | 16383u | (16383u << 14));
                return w;
            }
            default: throw new ArgumentException(extension);
        }
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typeBytes.CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), ScratchNet.Plotting.Crc32.Append(ScratchNet.Plotting.Crc32.Compute(typeBytes), data));
        return chunk;
    }

    private static int Find(byte[] bytes, ReadOnlySpan<byte> what)
    {
        int at = bytes.AsSpan().IndexOf(what);
        Assert.True(at >= 0, "marker not found");
        return at;
    }
}
