using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;

namespace ScratchNet.Cli.Input;

/// <summary>
/// Checks that an image file is whole before it is decoded: each format's structure is walked, with
/// every length range-checked, up to its end (PNG's IEND chunk, JPEG's end-of-image marker, GIF's
/// trailer, the RIFF size of WebP, BMP's declared sizes, the strips or tiles of TIFF's first image).
/// </summary>
/// <remarks>
/// ImageSharp 2.1.13 decodes a JPEG, BMP, GIF or WebP file cut short as if the missing part were
/// blank (measured on 60 x 40 images cut to 90%, 50% and 20% of their bytes: every one decoded, with
/// its mean grey shifted by up to 0.35), which would be a silent wrong prediction. A changed byte
/// inside the pixel data cannot be told from an intended one except in PNG (CRCs); that is a
/// different picture, not a broken file.
/// </remarks>
internal static class ImageFileStructure
{
    /// <summary>What is wrong with the structure of <paramref name="file"/>, read as <paramref name="format"/>; null when it is whole.</summary>
    public static string? Problem(ReadOnlySpan<byte> file, IImageFormat format) => format switch
    {
        PngFormat => Png(file),
        JpegFormat => Jpeg(file),
        GifFormat => Gif(file),
        WebpFormat => Webp(file),
        BmpFormat => Bmp(file),
        TiffFormat => Tiff(file),
        _ => null,
    };

    private static string Truncated(string what, long at) => $"ends at byte {at:N0} {what} (truncated)";

    private static string? Png(ReadOnlySpan<byte> file)
    {
        long pos = 8;
        var idat = new MemoryStream();
        (long Width, long Height, int Depth, int Colour, int Interlace)? header = null;
        while (true)
        {
            if (pos + 8 > file.Length) return Truncated("before its IEND chunk", file.Length);
            long length = BinaryPrimitives.ReadUInt32BigEndian(file[(int)pos..]);
            string type = FourCc(file.Slice((int)pos + 4, 4));
            if (pos + 12 + length > file.Length) return $"chunk {type} at byte {pos:N0} of {length:N0} bytes runs past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
            var data = file.Slice((int)pos + 8, (int)length);
            if (pos == 8 && type != "IHDR") return $"starts with chunk {type}, not IHDR (corrupt)";
            if (type == "IHDR")
            {
                if (length != 13) return $"IHDR chunk has {length} bytes (it must have 13; corrupt)";
                header = (BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]), data[8], data[9], data[12]);
            }
            if (type == "IDAT") idat.Write(data);
            if (type == "IEND") break;
            pos += 12 + length;
        }
        return header is { } h ? PngImageData(idat, h.Width, h.Height, h.Depth, h.Colour, h.Interlace) : null;
    }

    /// <summary>
    /// Whether the IDAT chunks inflate to at least the bytes the header needs: per row, a filter byte and
    /// <c>ceil(width channels depth / 8)</c> bytes, over the 7 reduced images of Adam7 when interlaced.
    /// ImageSharp leaves the rows it does not get blank. Inflated into a small buffer, never kept.
    /// </summary>
    private static string? PngImageData(MemoryStream idat, long width, long height, int depth, int colour, int interlace)
    {
        int channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16) || width < 1 || height < 1 || width * height > Limits.MaxImagePixels) return null;
        long RowsBytes(long w, long h) => w < 1 || h < 1 ? 0 : h * (1 + (w * channels * depth + 7) / 8);
        long needed = interlace == 0 ? RowsBytes(width, height) : 0;
        if (interlace != 0)
            foreach (var (x0, y0, dx, dy) in new[] { (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2) })
                needed += RowsBytes((width - x0 + dx - 1) / dx, (height - y0 + dy - 1) / dy);
        idat.Position = 0;
        long inflated = 0;
        var buffer = new byte[1 << 16];
        try
        {
            using var zlib = new System.IO.Compression.ZLibStream(idat, System.IO.Compression.CompressionMode.Decompress);
            int n;
            while (inflated < needed && (n = zlib.Read(buffer)) > 0) inflated += n;
        }
        catch (InvalidDataException e)
        {
            return $"image data is corrupt (zlib: {TextExcerpt.Of(e.Message, 200)})";
        }
        return inflated < needed ? $"image data inflates to {inflated:N0} bytes, its header needs {needed:N0} (truncated or corrupt)" : null;
    }

    private static string? Jpeg(ReadOnlySpan<byte> file)
    {
        int pos = 2;
        while (true)
        {
            if (pos + 2 > file.Length) return Truncated("before its end-of-image marker", file.Length);
            if (file[pos] != 0xFF) return $"has 0x{file[pos]:X2} at byte {pos:N0} where a marker should be (corrupt)";
            byte marker = file[pos + 1];
            if (marker == 0xFF) { pos++; continue; } // fill byte before a marker
            if (marker == 0xD9) return null;
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) { pos += 2; continue; }
            if (pos + 4 > file.Length) return Truncated($"in the marker 0x{marker:X2} at byte {pos:N0}", file.Length);
            int length = BinaryPrimitives.ReadUInt16BigEndian(file[(pos + 2)..]);
            if (length < 2) return $"segment 0x{marker:X2} at byte {pos:N0} has length {length} (at least 2; corrupt)";
            if (pos + 2L + length > file.Length) return $"segment 0x{marker:X2} at byte {pos:N0} of {length:N0} bytes runs past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
            pos += 2 + length;
            if (marker != 0xDA) continue;
            // Entropy-coded data follows a start of scan: 0xFF inside it is always followed by 0x00
            // (a stuffed byte) or a restart marker; anything else is the next marker.
            while (pos + 1 < file.Length && !(file[pos] == 0xFF && file[pos + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7))))
                pos++;
            if (pos + 1 >= file.Length) return Truncated("inside its image data, before its end-of-image marker", file.Length);
        }
    }

    private static string? Gif(ReadOnlySpan<byte> file)
    {
        if (file.Length < 13) return Truncated("inside its header", file.Length);
        long pos = 13 + ColorTable(file[10]);
        while (true)
        {
            if (pos >= file.Length) return Truncated("before its trailer", file.Length);
            byte block = file[(int)pos];
            if (block == 0x3B) return null;
            if (block == 0x21) pos += 2;
            else if (block == 0x2C)
            {
                if (pos + 10 > file.Length) return Truncated($"inside the image descriptor at byte {pos:N0}", file.Length);
                pos += 10 + ColorTable(file[(int)pos + 9]) + 1; // the descriptor, its colour table, the LZW code size
            }
            else return $"has 0x{block:X2} at byte {pos:N0} where a block should start (corrupt)";
            while (true) // data sub-blocks: a length byte and that many bytes, until a length of 0
            {
                if (pos >= file.Length) return Truncated("inside a data block, before its trailer", file.Length);
                int size = file[(int)pos];
                pos += 1 + size;
                if (size == 0) break;
            }
        }

        static int ColorTable(byte flags) => (flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0;
    }

    private static string? Webp(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12) return Truncated("inside its RIFF header", file.Length);
        long end = 8L + BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (end > file.Length) return $"RIFF header gives {end:N0} bytes, the file has {file.Length:N0} (truncated or corrupt)";
        long pos = 12;
        while (pos + 8 <= end)
        {
            long size = BinaryPrimitives.ReadUInt32LittleEndian(file[((int)pos + 4)..]);
            if (pos + 8 + size > end) return $"chunk {FourCc(file.Slice((int)pos, 4))} at byte {pos:N0} of {size:N0} bytes runs past the end of the RIFF data ({end:N0} bytes; truncated or corrupt)";
            pos += 8 + size + (size & 1);
        }
        return null;
    }

    private static string? Bmp(ReadOnlySpan<byte> file)
    {
        if (file.Length < 30) return Truncated("inside its header", file.Length);
        long declared = BinaryPrimitives.ReadUInt32LittleEndian(file[2..]);
        if (declared > file.Length) return $"header gives a file of {declared:N0} bytes, the file has {file.Length:N0} (truncated or corrupt)";
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]);
        long headerSize = BinaryPrimitives.ReadUInt32LittleEndian(file[14..]);
        long width, height;
        int bitsPerPixel;
        uint compression = 0, imageSize = 0;
        if (headerSize == 12)
        {
            (width, height, bitsPerPixel) = (BinaryPrimitives.ReadUInt16LittleEndian(file[18..]), BinaryPrimitives.ReadUInt16LittleEndian(file[20..]), BinaryPrimitives.ReadUInt16LittleEndian(file[24..]));
        }
        else
        {
            if (file.Length < 38) return Truncated("inside its header", file.Length);
            (width, height, bitsPerPixel) = (BinaryPrimitives.ReadInt32LittleEndian(file[18..]), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(file[22..])), BinaryPrimitives.ReadUInt16LittleEndian(file[28..]));
            (compression, imageSize) = (BinaryPrimitives.ReadUInt32LittleEndian(file[30..]), BinaryPrimitives.ReadUInt32LittleEndian(file[34..]));
        }
        // Uncompressed rows (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS) are padded to 4 bytes; compressed data declares its size.
        long data = compression is 0 or 3 or 6 ? (Math.Abs(width) * bitsPerPixel + 31) / 32 * 4 * height : imageSize;
        if (offset + data > file.Length)
            return $"pixel data of {data:N0} bytes from byte {offset:N0} runs past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
        return null;
    }

    private static string? Tiff(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8) return Truncated("inside its header", file.Length);
        bool little = file[0] == 'I';
        if (Read16(file, 2, little) != 42) return null; // BigTIFF (43): ImageSharp's own checks only
        long ifd = Read32(file, 4, little);
        if (ifd + 2 > file.Length) return $"first directory at byte {ifd:N0} is past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
        int entries = Read16(file, (int)ifd, little);
        if (ifd + 2 + 12L * entries > file.Length) return $"first directory at byte {ifd:N0} of {entries} entries runs past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
        long[]? offsets = null, counts = null;
        for (int i = 0; i < entries; i++)
        {
            int entry = (int)ifd + 2 + 12 * i;
            int tag = Read16(file, entry, little);
            if (tag is not (273 or 279 or 324 or 325)) continue;
            if (Values(file, entry, little) is not { } values) return $"tag {tag} at byte {entry:N0} points past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
            if (tag is 273 or 324) offsets = values;
            else counts = values;
        }
        if (offsets is null || counts is null) return null;
        for (int i = 0; i < Math.Min(offsets.Length, counts.Length); i++)
            if (offsets[i] + counts[i] > file.Length)
                return $"image data block {i} at byte {offsets[i]:N0} of {counts[i]:N0} bytes runs past the end of the file ({file.Length:N0} bytes; truncated or corrupt)";
        return null;

        // The SHORT or LONG values of a directory entry: inline when they fit in 4 bytes, else at its offset.
        static long[]? Values(ReadOnlySpan<byte> file, int entry, bool little)
        {
            int type = Read16(file, entry + 2, little);
            long count = Read32(file, entry + 4, little);
            int size = type == 3 ? 2 : type == 4 ? 4 : 0;
            if (size == 0) return [];
            long start = count * size <= 4 ? entry + 8 : Read32(file, entry + 8, little);
            if (start + count * size > file.Length) return null;
            var values = new long[count];
            for (int k = 0; k < count; k++) values[k] = size == 2 ? Read16(file, (int)start + 2 * k, little) : Read32(file, (int)start + 4 * k, little);
            return values;
        }
    }

    private static int Read16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static long Read32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);

    /// <summary>A chunk type as text, or its hex when a byte is not a printable ASCII letter or digit.</summary>
    private static string FourCc(ReadOnlySpan<byte> type)
    {
        foreach (byte b in type)
            if (!char.IsAsciiLetterOrDigit((char)b) && b != ' ') return "0x" + Convert.ToHexString(type);
        return Encoding.ASCII.GetString(type);
    }
}
