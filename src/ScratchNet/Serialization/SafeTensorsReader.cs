using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using ScratchNet.Tensors;

namespace ScratchNet.Serialization;

/// <summary>
/// Opens a safetensors file and validates its header before reading any tensor, so that a hostile
/// file is refused with a one-line <see cref="ModelFileException"/> and never makes the reader
/// allocate more than the file's size.
/// </summary>
/// <remarks>
/// Format: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>,
/// then the data area; offsets are relative to its start. Checks: N within the file and below
/// <see cref="MaxHeaderLength"/>; the header is a JSON object; each entry has a known dtype, a shape
/// of non-negative integers whose byte size does not overflow and equals end - begin; offsets lie in
/// the data area; tensors neither overlap nor leave gaps (the format stores them back to back) and
/// fill the data area; metadata values are strings; names are unique.
/// </remarks>
public sealed class SafeTensorsReader : IDisposable
{
    /// <summary>The largest header accepted (the reference implementation's limit, 100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private readonly FileStream _file;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorsEntry> _byName;

    private SafeTensorsReader(string path, FileStream file, long dataStart, List<SafeTensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _file = file;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The file's size in bytes.</summary>
    public long FileLength => _file.Length;

    /// <summary>The tensors, in the order of their data.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The __metadata__ strings (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public SafeTensorsEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Opens <paramref name="path"/> and validates its header.</summary>
    /// <exception cref="ModelFileException">The file is missing or malformed (the message says how).</exception>
    public static SafeTensorsReader Open(string path)
    {
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot open the file ({e.Message.TrimEnd('.')})", e);
        }
        try
        {
            var (dataStart, entries, metadata) = ReadHeader(file, path);
            return new SafeTensorsReader(path, file, dataStart, entries, metadata);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of <paramref name="entry"/> into <paramref name="destination"/> (exactly its length).</summary>
    public void ReadInto(SafeTensorsEntry entry, Span<byte> destination)
    {
        if (destination.Length != entry.ByteLength)
            throw new ArgumentException($"Tensor '{Q(entry.Name)}' has {entry.ByteLength} bytes; the destination has {destination.Length}.");
        try
        {
            _file.Position = _dataStart + entry.Begin;
            _file.ReadExactly(destination);
        }
        catch (Exception e) when (e is IOException)
        {
            throw new ModelFileException(Path, $"cannot read tensor '{Q(entry.Name)}' ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>A tensor's bytes as a <see cref="SafeTensor"/>.</summary>
    public SafeTensor Read(SafeTensorsEntry entry)
    {
        var bytes = new byte[entry.ByteLength];
        ReadInto(entry, bytes);
        return new SafeTensor(entry.Name, entry.DType, entry.Shape, bytes);
    }

    /// <summary>Reads an F32 tensor straight into <paramref name="destination"/>, whose shape must match.</summary>
    /// <exception cref="ModelFileException">Wrong dtype or shape.</exception>
    public void ReadInto(SafeTensorsEntry entry, Tensor destination)
    {
        if (entry.DType != SafeTensorDType.F32)
            throw new ModelFileException(Path, $"tensor '{Q(entry.Name)}' is {entry.DType}; ScratchNet parameters are F32");
        if (!entry.Shape.Select(d => (long)d).SequenceEqual(destination.ShapeArray().Select(d => (long)d)))
            throw new ModelFileException(Path, $"tensor '{Q(entry.Name)}' has shape {entry.ShapeText} but the model expects {ShapeText(destination)}");
        ReadInto(entry, MemoryMarshal.AsBytes(destination.Span));
        if (!BitConverter.IsLittleEndian) SwapFloats(destination.Span);
    }

    /// <summary>Reads an F32 tensor into a new <see cref="Tensor"/>.</summary>
    public Tensor ReadTensor(SafeTensorsEntry entry)
    {
        if (entry.DType != SafeTensorDType.F32)
            throw new ModelFileException(Path, $"tensor '{Q(entry.Name)}' is {entry.DType}, expected F32");
        int[] shape;
        try { shape = entry.Shape.Select(d => checked((int)d)).ToArray(); }
        catch (OverflowException) { throw new ModelFileException(Path, $"tensor '{Q(entry.Name)}' shape {entry.ShapeText} is too large for a ScratchNet tensor"); }
        var t = new Tensor(shape);
        ReadInto(entry, t);
        return t;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    internal static string ShapeText(Tensor t) => "[" + string.Join(", ", t.ShapeArray()) + "]";

    private static void SwapFloats(Span<float> values)
    {
        var ints = MemoryMarshal.Cast<float, int>(values);
        for (int i = 0; i < ints.Length; i++) ints[i] = BinaryPrimitives.ReverseEndianness(ints[i]);
    }

    private static (long DataStart, List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) ReadHeader(FileStream file, string path)
    {
        long fileLength = file.Length;
        if (fileLength < 8)
            throw new ModelFileException(path, $"the file is {fileLength} bytes, too short for the 8-byte header length of a safetensors file");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (n > MaxHeaderLength)
            throw new ModelFileException(path, $"header length {n:N0} is absurd (the limit is {MaxHeaderLength:N0} bytes; is this a safetensors file?)");
        if ((long)n > fileLength - 8)
            throw new ModelFileException(path, $"header length {n:N0} is longer than the rest of the file ({fileLength - 8:N0} bytes)");
        if (n < 2)
            throw new ModelFileException(path, $"header length {n} is too short for a JSON object");
        var headerBytes = new byte[n];
        file.ReadExactly(headerBytes);
        long dataStart = 8 + (long)n;
        long dataLength = fileLength - dataStart;
        // JsonDocument accepts invalid UTF-8 inside strings and fails only when a name or value is read.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw new ModelFileException(path, "the header is not valid UTF-8 text");

        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"the header is not valid JSON ({FirstLine(e.Message)})", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ModelFileException(path, $"the header is a JSON {Kind(root.ValueKind)}, not an object");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in root.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw new ModelFileException(path, $"the header names '{Q(prop.Name)}' twice");
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object)
                        throw new ModelFileException(path, $"__metadata__ is a JSON {Kind(prop.Value.ValueKind)}, not an object of strings");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new ModelFileException(path, $"__metadata__ value '{Q(m.Name)}' is a JSON {Kind(m.Value.ValueKind)}, not a string");
                        if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                            throw new ModelFileException(path, $"__metadata__ names '{Q(m.Name)}' twice");
                    }
                    continue;
                }
                entries.Add(ParseEntry(path, prop.Name, prop.Value, dataLength));
            }

            // Back to back: sorted by start, each tensor begins where the previous one ended.
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            SafeTensorsEntry? previous = null;
            foreach (var e in entries)
            {
                if (e.Begin < expected)
                    throw new ModelFileException(path, $"tensor '{Q(e.Name)}' data_offsets [{e.Begin}, {e.End}] overlap tensor '{Q(previous!.Name)}' [{previous.Begin}, {previous.End}]");
                if (e.Begin > expected)
                    throw new ModelFileException(path, $"tensor '{Q(e.Name)}' starts at byte {e.Begin} of the data area, leaving a gap after byte {expected} (tensors are stored back to back)");
                expected = e.End;
                previous = e;
            }
            if (expected != dataLength)
                throw new ModelFileException(path, $"the data area has {dataLength:N0} bytes but the tensors cover {expected:N0} (truncated or trailing bytes)");
            return (dataStart, entries, metadata);
        }
    }

    private static SafeTensorsEntry ParseEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (name.Length == 0) throw new ModelFileException(path, "the header has a tensor with an empty name");
        if (value.ValueKind != JsonValueKind.Object)
            throw new ModelFileException(path, $"tensor '{Q(name)}' is described by a JSON {Kind(value.ValueKind)}, not an object with dtype, shape and data_offsets");
        if (!value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new ModelFileException(path, $"tensor '{Q(name)}' has no dtype string");
        string dtype = dt.GetString()!;
        int size = SafeTensorDType.SizeOf(dtype);
        if (size == 0)
            throw new ModelFileException(path, $"tensor '{Q(name)}' has unknown dtype '{Q(dtype)}' (known: {string.Join(", ", SafeTensorDType.Known)})");
        if (!value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new ModelFileException(path, $"tensor '{Q(name)}' has no shape array");
        var shape = new long[sh.GetArrayLength()];
        if (shape.Length > 32) throw new ModelFileException(path, $"tensor '{Q(name)}' has rank {shape.Length} (at most 32)");
        long count = 1;
        bool overflow = false;
        int k = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0)
                throw new ModelFileException(path, $"tensor '{Q(name)}' shape has '{Q(d.GetRawText())}', not a non-negative integer");
            shape[k++] = v;
            if (!overflow)
            {
                try { count = checked(count * v); } catch (OverflowException) { overflow = true; }
            }
        }
        long bytes = 0;
        if (!overflow)
        {
            try { bytes = checked(count * size); } catch (OverflowException) { overflow = true; }
        }
        if (overflow)
            throw new ModelFileException(path, $"tensor '{Q(name)}' shape [{string.Join(", ", shape)}] overflows: its byte size does not fit in 64 bits");
        if (!value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new ModelFileException(path, $"tensor '{Q(name)}' has no data_offsets [begin, end]");
        long begin = Offset(path, name, off[0]), end = Offset(path, name, off[1]);
        if (begin > end)
            throw new ModelFileException(path, $"tensor '{Q(name)}' data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength)
            throw new ModelFileException(path, $"tensor '{Q(name)}' data_offsets [{begin}, {end}] are outside the {dataLength:N0}-byte data area");
        if (end - begin != bytes)
            throw new ModelFileException(path, $"tensor '{Q(name)}' shape [{string.Join(", ", shape)}] of {dtype} needs {bytes:N0} bytes but data_offsets [{begin}, {end}] hold {end - begin:N0}");
        return new SafeTensorsEntry(name, dtype, shape, begin, end);
    }

    private static long Offset(string path, string name, JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0
            ? v
            : throw new ModelFileException(path, $"tensor '{Q(name)}' data_offsets has '{Q(e.GetRawText())}', not a non-negative integer");

    private static string Kind(JsonValueKind k) => k switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        _ => "value",
    };

    /// <summary>A name or value from the header, cut short and escaped for a one-line message.</summary>
    internal static string Q(string text) => TextExcerpt.Of(text, 80);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim().TrimEnd('.');
}
