namespace ScratchNet.Tests.Plotting;

/// <summary>
/// A minimal GIF89a reader for tests, written from the specification independently of the encoder:
/// header, logical screen, global/local colour tables, extensions (NETSCAPE loop count, frame delays),
/// and the LZW decoder with its variable code width and Clear / End codes.
/// </summary>
internal static class GifTestDecoder
{
    public sealed record Frame(byte[] Rgb, int DelayCentiseconds, bool LocalPalette);

    public sealed record Animation(int Width, int Height, int? LoopCount, bool GlobalPalette, List<Frame> Frames);

    public static Animation Decode(byte[] gif)
    {
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(gif, 0, 6));
        int pos = 6;
        int width = U16(gif, pos), height = U16(gif, pos + 2);
        int flags = gif[pos + 4];
        pos += 7;
        byte[]? global = null;
        if ((flags & 0x80) != 0)
        {
            int size = 3 << ((flags & 7) + 1);
            global = gif[pos..(pos + size)];
            pos += size;
        }
        int? loop = null;
        int delay = 0, transparent = -1;
        var frames = new List<Frame>();
        var canvas = new byte[width * height * 3];
        while (true)
        {
            byte block = gif[pos++];
            if (block == 0x3B) break;
            if (block == 0x21)
            {
                byte label = gif[pos++];
                var sub = ReadSubBlocks(gif, ref pos);
                if (label == 0xF9)
                {
                    Assert.Equal(1, (sub[0] >> 2) & 7); // disposal: leave in place
                    delay = U16(sub, 1);
                    transparent = (sub[0] & 1) != 0 ? sub[3] : -1;
                }
                if (label == 0xFF && System.Text.Encoding.ASCII.GetString(sub, 0, 11) == "NETSCAPE2.0")
                    loop = U16(sub, 12);
                continue;
            }
            Assert.Equal(0x2C, block);
            int left = U16(gif, pos), top = U16(gif, pos + 2), w = U16(gif, pos + 4), h = U16(gif, pos + 6);
            Assert.True(left + w <= width && top + h <= height, "frame outside the logical screen");
            if (frames.Count == 0) Assert.Equal((0, 0, width, height), (left, top, w, h));
            int imageFlags = gif[pos + 8];
            pos += 9;
            Assert.Equal(0, imageFlags & 0x40); // not interlaced
            byte[]? palette = global;
            bool local = (imageFlags & 0x80) != 0;
            if (local)
            {
                int size = 3 << ((imageFlags & 7) + 1);
                palette = gif[pos..(pos + size)];
                pos += size;
            }
            Assert.NotNull(palette);
            int minCodeSize = gif[pos++];
            byte[] indices = LzwDecode(ReadSubBlocks(gif, ref pos), minCodeSize, w * h);
            for (int i = 0; i < indices.Length; i++)
            {
                if (indices[i] == transparent) continue;
                int target = ((top + i / w) * width + left + i % w) * 3;
                Array.Copy(palette, indices[i] * 3, canvas, target, 3);
            }
            frames.Add(new Frame((byte[])canvas.Clone(), delay, local));
            transparent = -1;
        }
        Assert.Equal(gif.Length, pos);
        return new Animation(width, height, loop, global is not null, frames);
    }

    private static int U16(byte[] b, int p) => b[p] | (b[p + 1] << 8);

    private static byte[] ReadSubBlocks(byte[] gif, ref int pos)
    {
        var data = new List<byte>();
        while (true)
        {
            int n = gif[pos++];
            if (n == 0) return [.. data];
            data.AddRange(gif.AsSpan(pos, n).ToArray());
            pos += n;
        }
    }

    public static byte[] LzwDecode(byte[] data, int minCodeSize, int pixelCount)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        var prefix = new int[4096];
        var suffix = new byte[4096];
        var length = new int[4096];
        for (int i = 0; i < clear; i++) { prefix[i] = -1; suffix[i] = (byte)i; length[i] = 1; }
        var output = new List<byte>(pixelCount);
        int codeSize = minCodeSize + 1, next = clear + 2, previous = -1;
        long bitPos = 0;
        var scratch = new byte[4096];
        while (true)
        {
            Assert.True(bitPos + codeSize <= data.Length * 8L, "LZW data ended without an End code");
            int code = 0;
            for (int b = 0; b < codeSize; b++, bitPos++)
                code |= ((data[bitPos >> 3] >> (int)(bitPos & 7)) & 1) << b;
            if (code == clear) { codeSize = minCodeSize + 1; next = clear + 2; previous = -1; continue; }
            if (code == end) break;
            Assert.True(code <= next, $"LZW code {code} beyond the table ({next})");
            int first;
            if (code < next)
            {
                int n = Emit(code);
                first = scratch[0];
                output.AddRange(scratch.AsSpan(0, n).ToArray());
            }
            else
            {
                Assert.True(previous >= 0);
                int n = Emit(previous);
                first = scratch[0];
                output.AddRange(scratch.AsSpan(0, n).ToArray());
                output.Add((byte)first);
            }
            if (previous >= 0 && next < 4096)
            {
                prefix[next] = previous;
                suffix[next] = (byte)first;
                length[next] = length[previous] + 1;
                next++;
            }
            if (next == (1 << codeSize) && codeSize < 12) codeSize++;
            previous = code;
        }
        Assert.Equal(pixelCount, output.Count);
        return [.. output];

        int Emit(int code)
        {
            int n = length[code];
            for (int i = n - 1; i >= 0; i--) { scratch[i] = suffix[code]; code = prefix[code]; }
            return n;
        }
    }
}
