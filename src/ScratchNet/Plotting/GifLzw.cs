namespace ScratchNet.Plotting;

/// <summary>
/// The variable-length LZW coder of GIF (GIF89a specification, appendix F). Codes start at
/// minCodeSize + 1 bits, grow up to 12 bits as the table fills, and are packed least-significant bit
/// first. Code 2^minCodeSize is Clear, the next one End-of-Information; when all 4096 codes are used
/// the encoder sends Clear and starts a fresh table. The code width follows the classic Unix
/// compress rule that decoders expect: after a code is written, the width grows when the next free code
/// (before the new entry is added) no longer fits.
/// </summary>
internal static class GifLzw
{
    private const int MaxCodes = 4096;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static byte[] Encode(ReadOnlySpan<byte> indices, int minCodeSize)
    {
        if (minCodeSize is < 2 or > 8) throw new ArgumentOutOfRangeException(nameof(minCodeSize), $"GIF minimum code size must be 2..8, got {minCodeSize}.");
        int clear = 1 << minCodeSize, end = clear + 1;
        var writer = new BitWriter();
        // table[prefix << 8 | next] = code of the string prefix + next, or 0 when absent (codes >= clear + 2 > 0).
        var table = new int[MaxCodes << 8];
        int codeSize = minCodeSize + 1, nextCode = clear + 2;
        writer.Write(clear, codeSize);
        if (indices.Length == 0)
        {
            writer.Write(end, codeSize);
            return writer.ToArray();
        }

        int prefix = indices[0];
        if (prefix >= clear) throw new ArgumentException($"Palette index {prefix} does not fit a {minCodeSize}-bit code.", nameof(indices));
        for (int i = 1; i < indices.Length; i++)
        {
            int k = indices[i];
            if (k >= clear) throw new ArgumentException($"Palette index {k} at pixel {i} does not fit a {minCodeSize}-bit code.", nameof(indices));
            int key = (prefix << 8) | k;
            int code = table[key];
            if (code != 0) { prefix = code; continue; }

            writer.Write(prefix, codeSize);
            if (nextCode >= (1 << codeSize) && codeSize < 12) codeSize++;
            if (nextCode < MaxCodes)
            {
                table[key] = nextCode++;
            }
            else
            {
                writer.Write(clear, codeSize);
                Array.Clear(table);
                codeSize = minCodeSize + 1;
                nextCode = clear + 2;
            }
            prefix = k;
        }
        writer.Write(prefix, codeSize);
        if (nextCode >= (1 << codeSize) && codeSize < 12) codeSize++;
        writer.Write(end, codeSize);
        return writer.ToArray();
    }

    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _buffer, _count;

        public void Write(int code, int bits)
        {
            _buffer |= code << _count;
            _count += bits;
            while (_count >= 8)
            {
                _bytes.Add((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0) _bytes.Add((byte)_buffer);
            _buffer = 0;
            _count = 0;
            return [.. _bytes];
        }
    }
}
