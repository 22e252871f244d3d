using ScratchNet.IO;
using System.Text;

namespace ScratchNet.Plotting;

/// <summary>
/// Writes animated GIF89a files: a logical screen, the NETSCAPE2.0 extension (loop count), then per
/// frame a Graphic Control Extension (delay) and an image whose palette indices are LZW-compressed
/// (<see cref="GifLzw"/>). By default all frames share one global palette (exact when they use at
/// most 255 colours, else median cut over all frames, so a colour looks the same in every frame);
/// with <c>perFramePalettes</c> each frame gets its own. After the first frame only the rectangle that changed is stored, its unchanged pixels
/// transparent (one palette slot is kept for that), and frames are left in place (disposal 1).
/// </summary>
public static class GifEncoder
{
    /// <summary>
    /// Encodes the frames (all the same size). <paramref name="delaysCentiseconds"/> gives each frame's
    /// display time in 1/100 s (one value for all, or one per frame); <paramref name="loopCount"/> 0 = loop forever.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static byte[] Encode(IReadOnlyList<RgbImage> frames, IReadOnlyList<int> delaysCentiseconds, int loopCount = 0, bool perFramePalettes = false)
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

        // One slot is kept free for the transparent index used by frame differencing.
        int[]? globalPalette = perFramePalettes ? null : ColorQuantizer.Palette(ColorQuantizer.Histogram(frames), 255);

        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        WriteUInt16(output, width);
        WriteUInt16(output, height);
        if (globalPalette is not null)
        {
            int bits = PaletteBits(globalPalette.Length + 1);
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

        int[]? shown = null; // the picture on screen after the previous frame, as packed RGB
        for (int f = 0; f < frames.Count; f++)
        {
            int[] palette = globalPalette ?? ColorQuantizer.Palette(ColorQuantizer.Histogram([frames[f]]), 255);
            byte[] indices = ColorQuantizer.Map(frames[f], palette);
            var current = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) current[i] = palette[indices[i]];

            // Frame differencing: only the bounding box of changed pixels is stored, and inside it the
            // unchanged pixels take the transparent index, which LZW compresses to almost nothing.
            int x0 = 0, y0 = 0, x1 = width - 1, y1 = height - 1;
            int transparent = -1;
            if (shown is not null)
            {
                (x0, y0, x1, y1) = ChangedBox(shown, current, width, height);
                transparent = palette.Length;
            }
            int rectWidth = x1 - x0 + 1, rectHeight = y1 - y0 + 1;
            var rect = new byte[rectWidth * rectHeight];
            for (int y = 0; y < rectHeight; y++)
                for (int x = 0; x < rectWidth; x++)
                {
                    int i = (y0 + y) * width + x0 + x;
                    rect[y * rectWidth + x] = transparent >= 0 && shown![i] == current[i] ? (byte)transparent : indices[i];
                }
            shown = current;

            int delay = delaysCentiseconds[delaysCentiseconds.Count == 1 ? 0 : f];
            // Graphic Control Extension: disposal 1 (leave in place), transparency flag, delay, transparent index.
            output.Write([0x21, 0xF9, 0x04, (byte)(0x04 | (transparent >= 0 ? 1 : 0))]);
            WriteUInt16(output, delay);
            output.Write([(byte)Math.Max(0, transparent), 0x00]);

            int paletteBits = PaletteBits(palette.Length + 1);
            output.WriteByte(0x2C); // image descriptor
            WriteUInt16(output, x0);
            WriteUInt16(output, y0);
            WriteUInt16(output, rectWidth);
            WriteUInt16(output, rectHeight);
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
            byte[] data = GifLzw.Encode(rect, minCodeSize);
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

    /// <summary>Smallest rectangle holding every pixel that differs; a 1 x 1 box at the origin when nothing changed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (int X0, int Y0, int X1, int Y1) ChangedBox(int[] before, int[] after, int width, int height)
    {
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (before[y * width + x] != after[y * width + x])
                {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    y1 = y;
                }
        return x1 < 0 ? (0, 0, 0, 0) : (x0, y0, x1, y1);
    }

    /// <summary>Encodes with the same delay for every frame.</summary>
    public static byte[] Encode(IReadOnlyList<RgbImage> frames, int delayCentiseconds = 10, int loopCount = 0, bool perFramePalettes = false) =>
        Encode(frames, [delayCentiseconds], loopCount, perFramePalettes);

    /// <summary>Writes the GIF file atomically.</summary>
    public static void Save(string path, IReadOnlyList<RgbImage> frames, int delayCentiseconds = 10, int loopCount = 0) =>
        AtomicFile.WriteAllBytes(path, Encode(frames, delayCentiseconds, loopCount));

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
