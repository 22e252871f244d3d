using ScratchNet.IO;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace ScratchNet.Plotting;

/// <summary>
/// Writes PNG files (ISO/IEC 15948): signature, IHDR, one IDAT holding the zlib-compressed scanlines,
/// IEND; every chunk ends with the CRC-32 of its type and data. 8 bits per channel, no interlacing.
/// Each scanline is prefixed with the filter (None, Sub, Up, Average or Paeth) that gives the smallest
/// sum of absolute residuals, the heuristic the PNG specification recommends. Pictures with at most 256
/// colours are written as palette images (PLTE chunk, one index byte per pixel, no filtering).
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Encodes an <see cref="RgbImage"/>: as an indexed (palette) PNG when it has at most 256 colours,
    /// which is typically 2-3 times smaller for charts and region maps, otherwise as RGB.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var lookup = new Dictionary<int, int>();
        var p = image.Pixels;
        for (int i = 0; i < p.Length && lookup.Count <= 256; i += 3)
            lookup.TryAdd((p[i] << 16) | (p[i + 1] << 8) | p[i + 2], 0);
        if (lookup.Count > 256)
            return Encode(image.Pixels, image.Width, image.Height, PngColorType.Rgb);

        int[] colors = [.. lookup.Keys.Order()];
        for (int i = 0; i < colors.Length; i++) lookup[colors[i]] = i;
        var indices = new byte[image.Width * image.Height];
        for (int i = 0, j = 0; i < p.Length; i += 3, j++)
            indices[j] = (byte)lookup[(p[i] << 16) | (p[i + 1] << 8) | p[i + 2]];
        return EncodeIndexed(indices, image.Width, image.Height, [.. colors.Select(c => new Rgb((byte)(c >> 16), (byte)(c >> 8), (byte)c))]);
    }

    /// <summary>Encodes an indexed PNG: one palette index per pixel, row-major, and the palette (1 to 256 colours).</summary>
    public static byte[] EncodeIndexed(ReadOnlySpan<byte> indices, int width, int height, IReadOnlyList<Rgb> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        if (palette.Count is < 1 or > 256)
            throw new ArgumentException($"A PNG palette holds 1 to 256 colours, got {palette.Count}.", nameof(palette));
        foreach (byte index in indices)
            if (index >= palette.Count)
                throw new ArgumentException($"Palette index {index} is outside the {palette.Count}-colour palette.", nameof(indices));
        var plte = new byte[palette.Count * 3];
        for (int i = 0; i < palette.Count; i++)
        {
            plte[3 * i] = palette[i].R;
            plte[3 * i + 1] = palette[i].G;
            plte[3 * i + 2] = palette[i].B;
        }
        return Encode(indices, width, height, PngColorType.Indexed, plte);
    }

    /// <summary>
    /// Encodes raw 8-bit pixels, row-major, <c>width * channels</c> bytes per row
    /// (channels = 1, 3 or 4 for <paramref name="colorType"/> Grayscale, Rgb, Rgba).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        if (colorType == PngColorType.Indexed)
            throw new ArgumentException("Indexed PNGs need a palette: use EncodeIndexed.", nameof(colorType));
        return Encode(pixels, width, height, colorType, null);
    }

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType, byte[]? palette)
    {
        int channels = Channels(colorType);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"PNG size must be positive, got {width} x {height}.");
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"A {width} x {height} {colorType} PNG needs {(long)width * height * channels} bytes, got {pixels.Length}.", nameof(pixels));

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = (byte)colorType;
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);
        if (palette is not null) WriteChunk(output, "PLTE", palette);

        // The specification advises no filtering for palette images: indices are not magnitudes.
        WriteChunk(output, "IDAT", Compress(FilterScanlines(pixels, width, height, channels, adaptive: palette is null)));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Writes an <see cref="RgbImage"/> as a PNG file, atomically.</summary>
    public static void Save(string path, RgbImage image) => AtomicFile.WriteAllBytes(path, Encode(image));

    /// <summary>Writes raw pixels as a PNG file, atomically.</summary>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType) =>
        AtomicFile.WriteAllBytes(path, Encode(pixels, width, height, colorType));

    private static int Channels(PngColorType colorType) => colorType switch
    {
        PngColorType.Grayscale or PngColorType.Indexed => 1,
        PngColorType.Rgb => 3,
        PngColorType.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(colorType), $"Unsupported PNG colour type {(int)colorType}; use Grayscale, Rgb or Rgba."),
    };

    /// <summary>
    /// Each output row is a filter-type byte then the residuals. With a = left, b = up, c = up-left
    /// (0 outside the image): Sub x - a, Up x - b, Average x - floor((a + b) / 2), Paeth x - PaethPredictor(a, b, c).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per picture: skip the slow first JIT tier
    internal static byte[] FilterScanlines(ReadOnlySpan<byte> pixels, int width, int height, int channels, bool adaptive = true)
    {
        int stride = width * channels;
        var result = new byte[(stride + 1) * height];
        var candidates = new byte[5][];
        for (int f = 0; f < 5; f++) candidates[f] = new byte[stride];
        ReadOnlySpan<byte> zero = new byte[stride];

        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride);
            ReadOnlySpan<byte> up = y > 0 ? pixels.Slice((y - 1) * stride, stride) : zero;
            int o = y * (stride + 1);
            if (!adaptive)
            {
                result[o] = 0;
                row.CopyTo(result.AsSpan(o + 1));
                continue;
            }
            row.CopyTo(candidates[0]);
            Span<byte> sub = candidates[1], upf = candidates[2], avg = candidates[3], paeth = candidates[4];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? row[i - channels] : 0;
                int b = up[i];
                int c = i >= channels ? up[i - channels] : 0;
                int x = row[i];
                sub[i] = (byte)(x - a);
                upf[i] = (byte)(x - b);
                avg[i] = (byte)(x - ((a + b) >> 1));
                paeth[i] = (byte)(x - Paeth(a, b, c));
            }
            int best = 0;
            long bestScore = long.MaxValue;
            for (int f = 0; f < 5; f++)
            {
                long score = 0;
                foreach (byte r in candidates[f]) score += r < 128 ? r : 256 - r; // |residual| as a signed byte
                if (score < bestScore) { bestScore = score; best = f; }
            }
            result[o] = (byte)best;
            candidates[best].CopyTo(result, o + 1);
        }
        return result;
    }

    /// <summary>The PNG Paeth predictor: whichever of a, b, c is nearest to a + b - c (ties: a, then b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return buffer.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++) typeBytes[i] = (byte)type[i];
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32.Append(Crc32.Compute(typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
