namespace ScratchNet.Cli.Input;

/// <summary>Netpbm grey images: P2 (ASCII) and P5 (binary, 8 or 16 bits big-endian), with # comments in the header.</summary>
/// <remarks>
/// Every number of the header is range-checked as it is read (no int overflow), and the size is
/// checked against <see cref="Limits.MaxImagePixels"/> before the pixels are allocated.
/// </remarks>
public static class PgmReader
{
    /// <summary>Decodes the PGM file <paramref name="bytes"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Malformed or too large; the one-line message names the file and the problem.</exception>
    public static GrayImage Decode(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 2 || bytes[0] != 'P' || (bytes[1] != '2' && bytes[1] != '5'))
            throw new InvalidDataException($"{path}: not a PGM file (it must start with P2 or P5)");
        int pos = 2;
        bool ascii = bytes[1] == '2';
        long width = Next("width"), height = Next("height"), max = Next("maximum value");
        if (width < 1 || height < 1 || width * height > Limits.MaxImagePixels)
            throw new InvalidDataException($"{path}: PGM header gives {width} x {height} pixels: not a usable image (at most {Limits.MaxImagePixels:N0} pixels)");
        if (max < 1 || max > 65535)
            throw new InvalidDataException($"{path}: PGM maximum value {max} is out of range (1 to 65535)");
        var pixels = new float[width * height];
        if (ascii)
        {
            for (int i = 0; i < pixels.Length; i++) pixels[i] = Math.Min(1f, Next("pixel value") / (float)max);
        }
        else
        {
            pos++; // the single whitespace after the maximum value
            int bytesPer = max > 255 ? 2 : 1;
            if (bytes.Length - pos < (long)pixels.Length * bytesPer)
                throw new InvalidDataException($"{path}: PGM data is truncated ({Math.Max(0, bytes.Length - pos)} bytes for {width} x {height} pixels)");
            for (int i = 0; i < pixels.Length; i++)
            {
                int v = bytesPer == 1 ? bytes[pos + i] : (bytes[pos + 2 * i] << 8) | bytes[pos + 2 * i + 1];
                pixels[i] = Math.Min(1f, v / (float)max);
            }
        }
        return new GrayImage((int)width, (int)height, pixels, "PGM");

        // The next decimal number; values beyond int.MaxValue are refused as soon as they pass it.
        long Next(string what)
        {
            while (pos < bytes.Length)
            {
                if (bytes[pos] == '#') { while (pos < bytes.Length && bytes[pos] != '\n') pos++; }
                else if (char.IsWhiteSpace((char)bytes[pos])) pos++;
                else break;
            }
            int start = pos;
            long value = 0;
            while (pos < bytes.Length && bytes[pos] >= '0' && bytes[pos] <= '9')
            {
                value = value * 10 + (bytes[pos] - '0');
                pos++;
                if (value > int.MaxValue)
                    throw new InvalidDataException($"{path}: PGM {what} at byte {start} is too large (over {int.MaxValue:N0})");
            }
            if (start == pos)
                throw new InvalidDataException(pos >= bytes.Length
                    ? $"{path}: PGM ends at byte {pos} where its {what} should be (truncated)"
                    : $"{path}: PGM expects a number ({what}) at byte {start}, not 0x{bytes[start]:x2}");
            return value;
        }
    }
}
