using System.Globalization;

namespace ScratchNet.Cli.Input;

/// <summary>Netpbm grey images: P2 (ASCII) and P5 (binary, 8 or 16 bits big-endian), with # comments in the header.</summary>
public static class PgmReader
{
    public static GrayImage Decode(byte[] bytes, string path)
    {
        int pos = 2;
        bool ascii = bytes[1] == '2';
        int width = Next(), height = Next(), max = Next();
        if (width < 1 || height < 1 || max < 1 || max > 65535 || (long)width * height > 16_000_000)
            throw new InvalidDataException($"{path}: PGM header gives {width} x {height}, maximum {max}: not a usable image");
        var pixels = new float[width * height];
        if (ascii)
        {
            for (int i = 0; i < pixels.Length; i++) pixels[i] = Math.Min(1f, Next() / (float)max);
        }
        else
        {
            pos++; // the single whitespace after the maximum value
            int bytesPer = max > 255 ? 2 : 1;
            if (bytes.Length - pos < (long)pixels.Length * bytesPer)
                throw new InvalidDataException($"{path}: PGM data is truncated ({bytes.Length - pos} bytes for {width} x {height} pixels)");
            for (int i = 0; i < pixels.Length; i++)
            {
                int v = bytesPer == 1 ? bytes[pos + i] : (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1];
                pixels[i] = Math.Min(1f, v / (float)max);
            }
        }
        return new GrayImage(width, height, pixels);

        int Next()
        {
            while (pos < bytes.Length)
            {
                if (bytes[pos] == '#') { while (pos < bytes.Length && bytes[pos] != '\n') pos++; }
                else if (char.IsWhiteSpace((char)bytes[pos])) pos++;
                else break;
            }
            int start = pos;
            while (pos < bytes.Length && bytes[pos] >= '0' && bytes[pos] <= '9') pos++;
            if (start == pos) throw new InvalidDataException($"{path}: PGM expects a number at byte {start}");
            return int.Parse(bytes.AsSpan(start, pos - start), CultureInfo.InvariantCulture);
        }
    }
}
