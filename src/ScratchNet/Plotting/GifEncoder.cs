using System.Text;

namespace ScratchNet.Plotting;

/// <summary>
/// Writes animated GIF89a files: a logical screen, the NETSCAPE2.0 extension (loop count), then per
/// frame a Graphic Control Extension (delay) and an image whose palette indices are LZW-compressed
/// (<see cref="GifLzw"/>). When all frames together use at most 256 colours they share one global
/// palette; otherwise each frame gets its own palette (median cut when a frame has more than 256 colours).
/// </summary>
public static class GifEncoder
{
    /// <summary>
    /// Encodes the frames (all the same size). <paramref name="delaysCentiseconds"/> gives each frame's
    /// display time in 1/100 s (one value for all, or one per frame); <paramref name="loopCount"/> 0 = loop forever.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<RgbImage> frames, IReadOnlyList<int> delaysCentiseconds, int loopCount = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(delaysCentiseconds);
        if (frames.Count == 0) throw new ArgumentException("A GIF needs at least one frame.", nameof(frames));
        if (delaysCentiseconds.Count != 1 && delaysCentiseconds.Count != frames.Count)
            throw new ArgumentException($"Give one delay or one per frame: got {delaysCentiseconds.Count} delays for {frames.Count} frames.", nameof(delaysCentiseconds));
        if (loopCount is < 0 or > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(loopCount), $"Loop count must be 0 (forever) to 65535, got {loopCount}.");
        int width = frames[0].Width, height = frames[0].Height;
        if (width > ushort.MaxValue || height > ushort.MaxValue)
            throw new ArgumentException($"GIF frames are at most 65535 x 65535, got {width} x {height}.", nameof(frames));
        for (int f = 0; f < frames.Count; f++)
        {
            if (frames[f].Width != width || frames[f].Height != height)
                throw new ArgumentException($"Frame {f} is {frames[f].Width} x {frames[f].Height} but frame 0 is {width} x {height}; all frames must be the same size.", nameof(frames));
            int d = delaysCentiseconds[delaysCentiseconds.Count == 1 ? 0 : f];
            if (d is < 0 or > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(delaysCentiseconds), $"Delay of frame {f} must be 0..65535 centiseconds, got {d}.");
        }

        var allColors = ColorQuantizer.Histogram(frames);
        int[]? globalPalette = allColors.Count <= 256 ? ColorQuantizer.Palette(allColors) : null;

        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        WriteUInt16(output, width);
        WriteUInt16(output, height);
        if (globalPalette is not null)
        {
            int bits = PaletteBits(globalPalette.Length);
            output.WriteByte((byte)(0x80 | (7 << 4) | (bits - 1))); // global table, 8-bit colour resolution
            output.WriteByte(0); // background colour index
            output.WriteByte(0); // pixel aspect ratio: unspecified (square)
            WritePalette(output, globalPalette, bits);
        }
        else
        {
            output.WriteByte(7 << 4);
            output.WriteByte(0);
            output.WriteByte(0);
        }

        // NETSCAPE2.0 application extension: sub-block 1 holds the loop count.
        output.Write([0x21, 0xFF, 0x0B]);
        output.Write(Encoding.ASCII.GetBytes("NETSCAPE2.0"));
        output.Write([0x03, 0x01]);
        WriteUInt16(output, loopCount);
        output.WriteByte(0);

        for (int f = 0; f < frames.Count; f++)
        {
            int delay = delaysCentiseconds[delaysCentiseconds.Count == 1 ? 0 : f];
            output.Write([0x21, 0xF9, 0x04, 0x04]); // Graphic Control Extension, disposal 1 (leave in place), no transparency
            WriteUInt16(output, delay);
            output.Write([0x00, 0x00]); // transparent index (unused), block terminator

            int[] palette = globalPalette ?? ColorQuantizer.Palette(ColorQuantizer.Histogram([frames[f]]));
            int paletteBits = PaletteBits(palette.Length);
            output.WriteByte(0x2C); // image descriptor
            WriteUInt16(output, 0);
            WriteUInt16(output, 0);
            WriteUInt16(output, width);
            WriteUInt16(output, height);
            if (globalPalette is null)
            {
                output.WriteByte((byte)(0x80 | (paletteBits - 1))); // local colour table
                WritePalette(output, palette, paletteBits);
            }
            else
            {
                output.WriteByte(0);
            }

            int minCodeSize = Math.Max(2, paletteBits);
            output.WriteByte((byte)minCodeSize);
            byte[] data = GifLzw.Encode(ColorQuantizer.Map(frames[f], palette), minCodeSize);
            for (int i = 0; i < data.Length; i += 255)
            {
                int n = Math.Min(255, data.Length - i);
                output.WriteByte((byte)n);
                output.Write(data, i, n);
            }
            output.WriteByte(0);
        }
        output.WriteByte(0x3B); // trailer
        return output.ToArray();
    }

    /// <summary>Encodes with the same delay for every frame.</summary>
    public static byte[] Encode(IReadOnlyList<RgbImage> frames, int delayCentiseconds = 10, int loopCount = 0) =>
        Encode(frames, [delayCentiseconds], loopCount);

    /// <summary>Writes the GIF file atomically.</summary>
    public static void Save(string path, IReadOnlyList<RgbImage> frames, int delayCentiseconds = 10, int loopCount = 0) =>
        PlotFile.WriteAllBytes(path, Encode(frames, delayCentiseconds, loopCount));

    /// <summary>Bits per palette index: the table holds 2^bits entries (1..8 bits).</summary>
    private static int PaletteBits(int colors)
    {
        int bits = 1;
        while ((1 << bits) < colors) bits++;
        return bits;
    }

    private static void WritePalette(Stream output, int[] palette, int bits)
    {
        for (int i = 0; i < 1 << bits; i++)
        {
            int c = i < palette.Length ? palette[i] : 0;
            output.WriteByte((byte)(c >> 16));
            output.WriteByte((byte)(c >> 8));
            output.WriteByte((byte)c);
        }
    }

    private static void WriteUInt16(Stream output, int value)
    {
        output.WriteByte((byte)value);
        output.WriteByte((byte)(value >> 8));
    }
}
