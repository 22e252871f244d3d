using System.Buffers.Binary;
using System.IO.Compression;

namespace ScratchNet.Cli.Input;

/// <summary>
/// A small PNG reader for predict: non-interlaced, bit depth 8, grey (0), RGB (2), palette (3),
/// grey+alpha (4) or RGBA (6). The IDAT chunks are one zlib stream (ZLibStream); each row starts with
/// its filter type (0 none, 1 sub, 2 up, 3 average, 4 Paeth). Colour becomes grey by the Rec. 601
/// luma 0.299 R + 0.587 G + 0.114 B; transparent pixels are blended onto white.
/// Every header field is range-checked, the size against <see cref="Limits.MaxImagePixels"/> before
/// anything is allocated, and inflation stops at the bytes the size needs.
/// </summary>
public static class PngDecoder
{
    /// <summary>The 8 bytes every PNG starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes the PNG file <paramref name="png"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Malformed, unsupported or too large; the one-line message names the file and the problem.</exception>
    public static GrayImage Decode(byte[] png, string path)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw Bad("signature is missing (not a PNG file)");
        long headerWidth = 0, headerHeight = 0;
        int bitDepth = 0, colorType = -1, interlace = 0;
        bool header = false;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        int pos = 8;
        bool end = false;
        while (!end)
        {
            if (pos + 8L > png.Length) throw Bad("ends before its IEND chunk");
            long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            string type = ChunkType(png.AsSpan(pos + 4, 4));
            if (pos + 12L + length > png.Length) throw Bad($"chunk {type} of {length:N0} bytes runs past the end of the file");
            var data = png.AsSpan(pos + 8, (int)length);
            switch (type)
            {
                case "IHDR":
                    if (header) throw Bad("has two IHDR chunks");
                    if (data.Length != 13) throw Bad($"IHDR chunk has {data.Length} bytes (it must have 13)");
                    header = true;
                    headerWidth = BinaryPrimitives.ReadUInt32BigEndian(data);
                    headerHeight = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    if (data[10] != 0 || data[11] != 0) throw Bad($"has compression method {data[10]} and filter method {data[11]} (PNG defines only 0)");
                    interlace = data[12];
                    break;
                case "PLTE":
                    if (data.Length % 3 != 0 || data.Length > 768) throw Bad($"PLTE chunk has {data.Length} bytes (a multiple of 3, at most 768)");
                    palette = data.ToArray();
                    break;
                case "IDAT":
                    if (!header) throw Bad("has image data before its IHDR chunk");
                    idat.Write(data);
                    break;
                case "IEND": end = true; break;
            }
            pos += 12 + (int)length;
        }
        if (!header) throw Bad("has no IHDR chunk");
        // Each side first: two 32-bit sides can multiply past 64 bits.
        if (headerWidth < 1 || headerHeight < 1 || headerWidth > Limits.MaxImagePixels || headerHeight > Limits.MaxImagePixels
            || headerWidth * headerHeight > Limits.MaxImagePixels)
            throw Bad($"has an unusable size {headerWidth} x {headerHeight} (at most {Limits.MaxImagePixels:N0} pixels)");
        int width = (int)headerWidth, height = (int)headerHeight;
        if (bitDepth != 8) throw Bad($"has bit depth {bitDepth}; only 8-bit images are read (save it as 8-bit grey or RGB)");
        if (interlace != 0) throw Bad("is interlaced (Adam7); save it without interlacing");
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw Bad($"has colour type {colorType}, which is not a PNG colour type") };
        if (colorType == 3 && palette is null) throw Bad("is a palette image without a PLTE chunk");

        int stride = width * channels;
        var raw = new byte[(long)height * (stride + 1)];
        idat.Position = 0;
        // Only the bytes the size needs are inflated: whatever the stream would give beyond is never read.
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            int read = 0;
            while (read < raw.Length)
            {
                int n = z.Read(raw, read, raw.Length - read);
                if (n == 0) throw Bad($"image data is truncated ({read:N0} of {raw.Length:N0} bytes)");
                read += n;
            }
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw Bad($"image data is corrupt (zlib: {e.Message.TrimEnd('.')})");
        }

        var current = new byte[stride];
        var previous = new byte[stride];
        var pixels = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw Bad($"row {y} has filter type {filter}; PNG defines 0 to 4"),
                };
                current[i] = (byte)(line[i] + predictor);
            }
            for (int x = 0; x < width; x++)
            {
                int o = x * channels;
                double r, g, bl, alpha = 1;
                switch (colorType)
                {
                    case 0: r = g = bl = current[o]; break;
                    case 4: r = g = bl = current[o]; alpha = current[o + 1] / 255.0; break;
                    case 2: r = current[o]; g = current[o + 1]; bl = current[o + 2]; break;
                    case 6: r = current[o]; g = current[o + 1]; bl = current[o + 2]; alpha = current[o + 3] / 255.0; break;
                    default:
                        int index = current[o];
                        if (3 * index + 2 >= palette!.Length) throw Bad($"pixel ({x}, {y}) uses palette entry {index} of {palette.Length / 3}");
                        r = palette[3 * index]; g = palette[3 * index + 1]; bl = palette[3 * index + 2];
                        break;
                }
                double luma = (0.299 * r + 0.587 * g + 0.114 * bl) / 255.0;
                pixels[y * width + x] = (float)(alpha * luma + (1 - alpha));
            }
            (previous, current) = (current, previous);
        }
        return new GrayImage(width, height, pixels);

        InvalidDataException Bad(string what) => new($"{path}: PNG {what}");
    }

    /// <summary>A chunk's four-letter type, or its bytes in hex when they are not letters (so a message stays printable).</summary>
    private static string ChunkType(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
            if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'))
                return "0x" + Convert.ToHexString(type);
        return System.Text.Encoding.ASCII.GetString(type);
    }

    /// <summary>The PNG Paeth predictor: whichever of a (left), b (up), c (up-left) is nearest to a + b - c.</summary>
    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
