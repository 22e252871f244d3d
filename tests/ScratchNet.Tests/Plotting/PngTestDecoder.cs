using System.Buffers.Binary;
using System.IO.Compression;

namespace ScratchNet.Tests.Plotting;

/// <summary>
/// A minimal PNG reader for tests, independent of the encoder: checks the signature and every chunk's
/// CRC (bit-by-bit CRC-32, not the encoder's table), inflates the IDAT stream and undoes the five
/// scanline filters. 8-bit, non-interlaced Grayscale / RGB / RGBA only.
/// </summary>
internal static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, int ColorType, byte[] Pixels, List<string> ChunkTypes);

    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    public static Image Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(signature), "bad PNG signature");
        int pos = 8, width = 0, height = 0, colorType = -1;
        var idat = new MemoryStream();
        byte[]? palette = null;
        var types = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(BitwiseCrc32(png.AsSpan(pos + 4, length + 4)), crc);
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "PLTE") palette = data.ToArray();
            pos += 12 + length;
            if (type == "IEND") break;
        }
        Assert.Equal(png.Length, pos);
        int channels = colorType switch { 0 or 3 => 1, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {colorType}") };
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        byte[] filtered = raw.ToArray();
        int stride = width * channels;
        Assert.Equal((stride + 1) * height, filtered.Length);
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            int filter = filtered[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int x = filtered[y * (stride + 1) + 1 + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethReference(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
                pixels[y * stride + i] = (byte)(x + predicted);
            }
        }
        if (colorType == 3)
        {
            // Expand palette indices to RGB so that callers compare colours.
            Assert.NotNull(palette);
            var rgb = new byte[width * height * 3];
            for (int i = 0; i < pixels.Length; i++)
            {
                Assert.True(pixels[i] * 3 + 2 < palette.Length, $"palette index {pixels[i]} out of range");
                Array.Copy(palette, pixels[i] * 3, rgb, i * 3, 3);
            }
            return new Image(width, height, colorType, rgb, types);
        }
        return new Image(width, height, colorType, pixels, types);
    }

    private static int PaethReference(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
