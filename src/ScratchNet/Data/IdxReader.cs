using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace ScratchNet.Data;

/// <summary>
/// Reads IDX files (LeCun's MNIST format), gzip-compressed or raw (detected by the gzip magic bytes
/// 1f 8b), and validates all of it.
/// </summary>
/// <remarks>
/// Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only one supported here), a rank
/// byte r, then r big-endian 32-bit dimensions, then the values row-major. The reader checks the
/// magic, the type, the rank (1 to 4), that each dimension is positive, and that the values fill the
/// dimensions exactly (no byte missing, no byte left over). The SHA-256 of the decompressed bytes is
/// computed while they stream by, so verifying costs one pass the reader makes anyway.
/// Memory: the header's dimensions are checked before any data is read, against the size the file
/// must have when the caller knows it (the dataset catalog does) and against
/// <see cref="Limits.MaxDecompressedBytes"/>; the data buffer then grows only as bytes arrive, and
/// reading stops at the first megabyte beyond what the dimensions describe.
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest rank accepted (MNIST uses 1 for labels and 3 for images).</summary>
    public const int MaxRank = 4;

    // A header may claim up to the decompression limit; the buffer starts at most this big and grows only
    // as bytes actually arrive, so memory follows the data, not the claim.
    private const int InitialBufferLimit = 1 << 20;

    /// <summary>Reads and validates the IDX file at <paramref name="path"/> (.gz or raw).</summary>
    /// <exception cref="DataFormatException">The file is missing, truncated, or not a valid unsigned-byte IDX file.</exception>
    public static IdxFile Read(string path) => Read(path, null);

    /// <summary>
    /// Reads and validates the IDX file at <paramref name="path"/> (.gz or raw), which must decompress
    /// to exactly <paramref name="expectedBytes"/> bytes (header included) when that is given: a header
    /// that describes another size is refused before any data is read.
    /// </summary>
    /// <exception cref="DataFormatException">The file is missing, truncated, of another size, or not a valid unsigned-byte IDX file.</exception>
    public static IdxFile Read(string path, long? expectedBytes)
    {
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot open the file ({e.Message})", e);
        }
        using (file) return Read(file, path, expectedBytes);
    }

    /// <summary>Reads and validates an IDX file from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static IdxFile Read(Stream stream, string sourceName) => Read(stream, sourceName, null);

    /// <summary>
    /// Reads and validates an IDX file from <paramref name="stream"/>, which must decompress to exactly
    /// <paramref name="expectedBytes"/> bytes when that is given; <paramref name="sourceName"/> names it in errors.
    /// </summary>
    public static IdxFile Read(Stream stream, string sourceName, long? expectedBytes)
    {
        if (!stream.CanSeek) throw new ArgumentException("IdxReader needs a seekable stream (it peeks at the first bytes to detect gzip).", nameof(stream));
        Stream input = stream;
        Span<byte> head = stackalloc byte[2];
        int got = ReadFully(stream, head);
        stream.Seek(-got, SeekOrigin.Current);
        bool gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
        if (gzip) input = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return ReadIdx(input, sourceName, gzip, expectedBytes);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(sourceName, $"corrupt gzip data ({e.Message.TrimEnd('.')})", e);
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            throw new DataFormatException(sourceName, $"read error ({e.Message.TrimEnd('.')})", e);
        }
        finally
        {
            if (gzip) input.Dispose();
        }
    }

    private static IdxFile ReadIdx(Stream input, string source, bool gzip, long? expectedBytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> magic = stackalloc byte[4];
        int got = ReadFully(input, magic);
        string what = gzip ? "the decompressed data" : "the file";
        if (got == 0) throw new DataFormatException(source, $"{what} is empty (expected an IDX header)");
        if (got < 4) throw new DataFormatException(source, $"{what} is truncated: {got} bytes, shorter than the 4-byte IDX magic");
        sha.AppendData(magic);
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException(source, $"not an IDX file: magic {Hex(magic)} (expected 00 00 08 0r; is it an IDX file{(gzip ? "" : ", or gzip data with a broken header")}?)");
        if (magic[2] != 0x08)
            throw new DataFormatException(source, $"unsupported IDX data type 0x{magic[2]:x2} ({TypeName(magic[2])}); only 0x08 (unsigned byte) is supported");
        int rank = magic[3];
        if (rank < 1 || rank > MaxRank)
            throw new DataFormatException(source, $"IDX rank {rank} is out of range (1 to {MaxRank})");

        var dimBytes = new byte[4 * rank];
        got = ReadFully(input, dimBytes);
        if (got < dimBytes.Length)
            throw new DataFormatException(source, $"{what} is truncated in the header: {4 + got} bytes, the header of a rank-{rank} IDX file has {4 + dimBytes.Length}");
        sha.AppendData(dimBytes);
        var dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (d == 0 || d > int.MaxValue)
                throw new DataFormatException(source, $"IDX dimension {i} is {d} (must be between 1 and {int.MaxValue})");
            dims[i] = (int)d;
            expected *= d;
            if (expected > Array.MaxLength)
                throw new DataFormatException(source, $"IDX dimensions {FormatDims(dims.AsSpan(0, i + 1))} need more bytes than an array can hold");
        }
        string dimText = FormatDims(dims);
        long total = 4 + dimBytes.Length + expected;
        if (expectedBytes is long known && total != known)
            throw new DataFormatException(source, $"its dimensions {dimText} describe {total:N0} bytes, but the catalog gives this file {known:N0} bytes (corrupt or a different file)");
        if (total > Limits.MaxDecompressedBytes)
            throw new DataFormatException(source, $"its dimensions {dimText} describe {total:N0} bytes, more than the limit of {Limits.MaxDecompressedBytes:N0} (Limits.MaxDecompressedBytes)");

        // The size a caller vouches for is allocated at once; a size only the header claims grows with the data.
        var data = new byte[expectedBytes is null ? (int)Math.Min(expected, InitialBufferLimit) : (int)expected];
        long filled = 0;
        while (true)
        {
            if (filled == data.Length)
            {
                if (filled == expected) break;
                Array.Resize(ref data, (int)Math.Min(expected, Math.Max(2L * data.Length, 1)));
            }
            int n = input.Read(data, (int)filled, data.Length - (int)filled);
            if (n == 0) break;
            sha.AppendData(data, (int)filled, n);
            filled += n;
        }
        if (filled < expected)
            throw new DataFormatException(source, $"{what} is truncated: its dimensions {dimText} need {expected:N0} data bytes but only {filled:N0} follow the header");

        // One byte more would mean the dimensions under-describe the data. Count at most 1 MiB of
        // surplus, so a decompression bomb behind a small header costs little time.
        Span<byte> extra = stackalloc byte[4096];
        long surplus = 0;
        while (surplus < (1 << 20))
        {
            int n = input.Read(extra);
            if (n == 0) break;
            surplus += n;
        }
        if (surplus > 0)
            throw new DataFormatException(source, $"{what} has {(surplus >= 1 << 20 ? "over " : "")}{surplus:N0} bytes beyond what its dimensions {dimText} describe ({expected:N0} data bytes)");

        return new IdxFile(dims, data, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static string Hex(ReadOnlySpan<byte> b) => string.Join(" ", b.ToArray().Select(x => x.ToString("x2")));

    private static string FormatDims(ReadOnlySpan<int> dims) => string.Join(" x ", dims.ToArray());

    private static string TypeName(byte t) => t switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "unknown",
    };
}
