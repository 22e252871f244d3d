using ScratchNet.IO;
using System.Buffers.Binary;
using System.Text.Json;

namespace ScratchNet.Serialization;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face's; readable by PyTorch, JAX, NumPy): named
/// tensors and a string-to-string metadata map. See <see cref="SafeTensorsReader"/> for the layout
/// and the checks made on reading.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (back to back, in the given order) and
    /// <paramref name="metadata"/> to <paramref name="path"/> atomically (temp file, flush, rename).
    /// </summary>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        AtomicFile.Write(path, stream => Write(stream, list, metadata));
    }

    /// <summary>Writes the safetensors bytes to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (t.Name == "__metadata__") throw new ArgumentException("A tensor cannot be named __metadata__.");
            if (!names.Add(t.Name)) throw new ArgumentException($"Two tensors are named '{t.Name}'.");
        }
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (long d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        // Pad the header with spaces to a multiple of 8 so the data area is 8-byte aligned (as the reference writer does).
        int pad = (int)((8 - json.Length % 8) % 8);
        for (int i = 0; i < pad; i++) json.WriteByte((byte)' ');
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)json.Length);
        stream.Write(len);
        json.Position = 0;
        json.CopyTo(stream);
        foreach (var t in tensors) stream.Write(t.Data);
    }

    /// <summary>Reads every tensor and the metadata of <paramref name="path"/>, validating it first.</summary>
    /// <exception cref="ModelFileException">The file is missing or malformed.</exception>
    public static SafeTensorsContent Read(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        var tensors = reader.Entries.Select(reader.Read).ToList();
        return new SafeTensorsContent(tensors, new Dictionary<string, string>(reader.Metadata));
    }

}
