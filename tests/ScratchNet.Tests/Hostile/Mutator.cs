using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Seeded mutations of valid files for the fuzz tests: bit flips, truncations, byte insertions, header
/// numbers replaced by hostile ones, and edits of the JSON inside a safetensors header (tensor entries,
/// metadata strings, the architecture, the preprocessing). Each returns the new bytes and a short
/// description, so a failing case can be named and replayed from its seed.
/// </summary>
internal sealed class Mutator(ulong seed)
{
    private readonly Rng _rng = new(seed);

    /// <summary>Numbers a hostile header would use: edges of the integer types, zero, negatives.</summary>
    private static readonly string[] NumberTexts =
    [
        "0", "1", "-1", "2", "3", "7", "255", "256", "65535", "65536", "1000", "100000", "1000000", "1000000000",
        "2147483647", "2147483648", "-2147483648", "4294967295", "4294967296", "1099511627776", "9223372036854775807",
        "9223372036854775808", "99999999999999999999999", "1e999", "-1e999", "NaN", "Infinity", "-0", "1.5", "1e9", "0x10", "", " ", "abc",
    ];

    /// <summary>Layer types, known and not.</summary>
    private static readonly string[] LayerTypes =
    [
        "Dense", "Dropout", "BatchNorm", "Flatten", "Step", "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "GELU", "Softmax",
        "Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAveragePool", "BatchNorm2D", "RandomShift2D", "Bogus", "",
    ];

    /// <summary>Setting names of every layer kind.</summary>
    private static readonly string[] SettingNames =
    [
        "units", "outChannels", "kernelSize", "stride", "padding", "size", "rate", "momentum", "epsilon", "maxShift", "useBias",
        "weightInit", "alpha", "inputGradient",
    ];

    public int Int(int n) => _rng.NextInt(n);

    public bool Chance(double p) => _rng.NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(items.Count)];

    public string Number() => Pick(NumberTexts);

    /// <summary>A random byte-level mutation, biased towards the first <paramref name="headerEnd"/> bytes (where the structure is).</summary>
    public (byte[] Bytes, string What) Bytes(byte[] source, int headerEnd)
    {
        var b = (byte[])source.Clone();
        int Position() => b.Length == 0 ? 0 : Chance(0.7) && headerEnd > 0 ? Int(Math.Min(headerEnd, b.Length)) : Int(b.Length);
        switch (Int(5))
        {
            case 0:
            {
                int flips = 1 + Int(8);
                for (int i = 0; i < flips && b.Length > 0; i++) b[Position()] ^= (byte)(1 << Int(8));
                return (b, $"{flips} bit flips");
            }
            case 1:
            {
                int length = Int(Math.Max(1, b.Length));
                return (b[..length], $"truncated to {length} bytes");
            }
            case 2:
            {
                int at = Position(), count = 1 + Int(16);
                var extra = new byte[count];
                for (int i = 0; i < count; i++) extra[i] = (byte)Int(256);
                return ([.. b[..at], .. extra, .. b[at..]], $"{count} bytes inserted at {at}");
            }
            case 3:
            {
                int at = Position(), count = Math.Min(1 + Int(8), b.Length - at);
                byte fill = Pick(new byte[] { 0x00, 0xFF, 0x7F, 0x80 });
                for (int i = 0; i < count; i++) b[at + i] = fill;
                return (b, $"{count} bytes at {at} set to 0x{fill:x2}");
            }
            default:
            {
                // A decimal number in the first part (a JSON header, a PGM header) replaced by a hostile one.
                var text = Encoding.Latin1.GetString(b, 0, Math.Min(headerEnd, b.Length));
                var runs = System.Text.RegularExpressions.Regex.Matches(text, "[0-9]+");
                if (runs.Count == 0) return Bytes(source, headerEnd);
                var run = runs[Int(runs.Count)];
                string number = Number();
                return ([.. b[..run.Index], .. Encoding.Latin1.GetBytes(number), .. b[(run.Index + run.Length)..]], $"number '{run.Value}' at {run.Index} -> '{number}'");
            }
        }
    }

    /// <summary>The length of a safetensors header plus its 8-byte length field (or the whole file when that is not readable).</summary>
    public static int SafeTensorsHeaderEnd(byte[] file) =>
        file.Length < 8 ? file.Length : (int)Math.Min(file.Length, 8 + (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(file), (ulong)file.Length));

    /// <summary>A mutation of a safetensors file: mostly structured edits of its JSON header, sometimes bytes.</summary>
    public (byte[] Bytes, string What) SafeTensors(byte[] file)
    {
        switch (Int(11))
        {
            case 0:
            case 1:
                return Bytes(file, SafeTensorsHeaderEnd(file));
            case 10:
            {
                // A float of the data area made NaN or infinite: a well-formed file with a poisoned weight.
                int start = SafeTensorsHeaderEnd(file), floats = (file.Length - start) / 4;
                if (floats == 0) return Bytes(file, start);
                var b = (byte[])file.Clone();
                float poison = Pick(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue });
                int at = start + 4 * Int(floats);
                BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), poison);
                return (b, $"the float at byte {at} -> {poison}");
            }
            case 2:
            {
                var b = (byte[])file.Clone();
                ulong n = Pick(new ulong[] { 0, 1, 7, 8, (ulong)file.Length, (ulong)file.Length - 8, (ulong)file.Length - 7, 100_000_001, ulong.MaxValue, 1UL << 63 });
                BinaryPrimitives.WriteUInt64LittleEndian(b, n);
                return (b, $"header length -> {n}");
            }
            default:
                return EditHeader(file);
        }
    }

    private (byte[] Bytes, string What) EditHeader(byte[] file)
    {
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var root = JsonNode.Parse(file.AsSpan(8, n))!.AsObject();
        byte[] data = file[(8 + n)..];
        var meta = root["__metadata__"]?.AsObject();
        var tensors = root.Select(kv => kv.Key).Where(k => k != "__metadata__").ToList();
        string what;
        switch (Int(8))
        {
            case 0 when tensors.Count > 0:
            {
                string name = Pick(tensors);
                var entry = root[name]!.AsObject();
                switch (Int(6))
                {
                    case 0: entry["dtype"] = Pick(new[] { "F32", "F64", "F16", "I32", "U8", "U64", "BOOL", "XX", "" }); what = $"{name}.dtype -> {entry["dtype"]}"; break;
                    case 1:
                    {
                        var shape = new JsonArray();
                        int rank = Int(5);
                        for (int i = 0; i < rank; i++) shape.Add(Chance(0.9) ? JsonValue.Create(long.TryParse(Number(), out long v) ? v : 3) : JsonValue.Create("3"));
                        entry["shape"] = shape;
                        what = $"{name}.shape -> {shape.ToJsonString()}";
                        break;
                    }
                    case 2:
                    {
                        var offsets = entry["data_offsets"]!.AsArray();
                        long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                        (begin, end) = Int(4) switch { 0 => (end, begin), 1 => (begin, end + 4), 2 => (begin + 4, end + 4), _ => (begin, long.MaxValue) };
                        entry["data_offsets"] = new JsonArray(begin, end);
                        what = $"{name}.data_offsets -> [{begin}, {end}]";
                        break;
                    }
                    case 3: entry.Remove(Pick(new[] { "dtype", "shape", "data_offsets" })); what = $"{name}: a field removed"; break;
                    case 4:
                    {
                        string replacement = Pick(new[] { "3", "\"x\"", "[1,2]", "null", "{}" });
                        root[name] = JsonNode.Parse(replacement);
                        what = $"{name} -> {replacement}";
                        break;
                    }
                    default: root.Remove(name); what = $"{name} removed"; break;
                }
                break;
            }
            case 1:
                root["layers.99.weight"] = JsonNode.Parse("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}");
                what = "tensor layers.99.weight added";
                break;
            case 2 when meta is not null && meta.Count > 0:
            {
                string key = Pick(meta.Select(kv => kv.Key).ToList());
                switch (Int(4))
                {
                    case 0: meta[key] = Number(); what = $"metadata {key} -> '{meta[key]}'"; break;
                    case 1: meta.Remove(key); what = $"metadata {key} removed"; break;
                    case 2: meta[key] = new string('x', 100_000); what = $"metadata {key} -> 100,000 x"; break;
                    default: meta[key] = JsonNode.Parse(Pick(new[] { "3", "[]", "{}", "null", "true" })); what = $"metadata {key} -> non-string"; break;
                }
                break;
            }
            case 3 or 4 or 5 when meta is not null && meta.Any(kv => kv.Key.EndsWith("architecture", StringComparison.Ordinal)):
            {
                string key = meta.First(kv => kv.Key.EndsWith("architecture", StringComparison.Ordinal)).Key;
                var (arch, archWhat) = Architecture(meta[key]!.GetValue<string>());
                meta[key] = arch;
                what = archWhat;
                break;
            }
            case 6 when meta is not null:
            {
                string key = meta.Select(kv => kv.Key).FirstOrDefault(k => k.EndsWith("preprocessing", StringComparison.Ordinal)) ?? "preprocessing";
                string value = Pick(new[]
                {
                    "{\"mode\":\"zscore\",\"shift\":[NaN],\"scale\":[1]}", "{\"mode\":\"zscore\",\"shift\":[0,0],\"scale\":[1,1]}",
                    "{\"mode\":\"zscore\",\"shift\":[1e999,0],\"scale\":[1,1]}", "{\"mode\":\"zscore\",\"shift\":[0,0],\"scale\":[0,-1]}",
                    "{\"mode\":\"bogus\",\"shift\":[0,0],\"scale\":[1,1]}", "{\"mode\":\"minmax\",\"shift\":\"x\",\"scale\":[1,1]}",
                    "{\"mode\":\"zscore\",\"shift\":[0,0,0],\"scale\":[1,1,1]}", "[]", "x", "{\"mode\":\"zscore\",\"shift\":[\"0\",0],\"scale\":[1,1]}",
                });
                meta[key] = value;
                what = $"{key} -> {value}";
                break;
            }
            case 7 when meta is not null:
            {
                string key = Pick(meta.Select(kv => kv.Key).Where(k => k.EndsWith("class_names", StringComparison.Ordinal) || k.EndsWith("feature_names", StringComparison.Ordinal)
                    || k.EndsWith("task", StringComparison.Ordinal) || k.EndsWith("format_version", StringComparison.Ordinal) || k.EndsWith("dataset", StringComparison.Ordinal)
                    || k.EndsWith("loss", StringComparison.Ordinal) || k.EndsWith("seed", StringComparison.Ordinal) || k.StartsWith("checkpoint.", StringComparison.Ordinal)
                    || k.StartsWith("schedule.", StringComparison.Ordinal) || k.EndsWith("binary_threshold", StringComparison.Ordinal)).DefaultIfEmpty("task").ToList());
                string value = Pick(new[] { "[1,2]", "[null]", "{}", "\"a\"", "[\"a\"]", "regression", "classification", "banana", "2", "0", "-1", "NaN", "1e999", "mnist", "xor-table", "spirals", Number() });
                meta[key] = value;
                what = $"metadata {key} -> '{value}'";
                break;
            }
            default:
                return Bytes(file, SafeTensorsHeaderEnd(file));
        }
        var json = Encoding.UTF8.GetBytes(root.ToJsonString());
        int pad = (8 - json.Length % 8) % 8;
        var result = new byte[8 + json.Length + pad + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)(json.Length + pad));
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, pad).Fill((byte)' ');
        data.CopyTo(result, 8 + json.Length + pad);
        return (result, what);
    }

    /// <summary>An edit of the architecture JSON: input shape, layer types, settings, layers added, removed or repeated.</summary>
    private (string Json, string What) Architecture(string json)
    {
        var arch = JsonNode.Parse(json)!.AsObject();
        var layers = arch["layers"]!.AsArray();
        string what;
        switch (Int(7))
        {
            case 0:
            {
                var shape = new JsonArray();
                int rank = 1 + Int(4);
                for (int i = 0; i < rank; i++) shape.Add(long.TryParse(Number(), out long v) ? v : 1);
                if (Chance(0.1)) shape = new JsonArray(1, 2, 3, 4, 5, 6, 7, 8, 9);
                arch["input_shape"] = shape;
                what = $"input_shape -> {shape.ToJsonString()}";
                break;
            }
            case 1 when layers.Count > 0:
            {
                int i = Int(layers.Count);
                layers[i]!["type"] = Pick(LayerTypes);
                what = $"layer {i} type -> {layers[i]!["type"]}";
                break;
            }
            case 2 or 3 when layers.Count > 0:
            {
                int i = Int(layers.Count);
                var layer = layers[i]!.AsObject();
                if (layer["settings"] is not JsonObject settings) { settings = new JsonObject(); layer["settings"] = settings; }
                string key = Chance(0.5) && settings.Count > 0 ? Pick(settings.Select(kv => kv.Key).ToList()) : Pick(SettingNames);
                string value = Chance(0.8) ? Number() : Pick(new[] { "true", "false", "Constant(NaN)", "Constant(1e999)", "HeNormal", "Bogus" });
                settings[key] = value;
                what = $"layer {i} {key} -> '{value}'";
                break;
            }
            case 4:
            {
                var settings = new JsonObject();
                int count = Int(4);
                for (int k = 0; k < count; k++) settings[Pick(SettingNames)] = Number();
                var layer = new JsonObject { ["type"] = Pick(LayerTypes), ["settings"] = settings };
                int at = Int(layers.Count + 1);
                what = $"layer {layer.ToJsonString()} inserted at {at}";
                layers.Insert(at, layer);
                break;
            }
            case 5 when layers.Count > 0:
            {
                int i = Int(layers.Count);
                if (Chance(0.5)) { layers.RemoveAt(i); what = $"layer {i} removed"; }
                else { layers.Insert(i, layers[i]!.DeepClone()); what = $"layer {i} repeated"; }
                break;
            }
            default:
            {
                string value = Pick(new[] { "{\"input_shape\":[2]}", "{\"layers\":[]}", "{\"input_shape\":[2],\"layers\":{}}", "{\"input_shape\":\"2\",\"layers\":[]}",
                    "{\"input_shape\":[2],\"layers\":[{\"settings\":{}}]}", "{\"input_shape\":[2],\"layers\":[{\"type\":3}]}", "{\"input_shape\":[2],\"layers\":[{\"type\":\"Dense\",\"settings\":{\"units\":3}}]}",
                    "[]", "null", "{\"input_shape\":[2.5],\"layers\":[]}", "{\"input_shape\":[],\"layers\":[]}" });
                return (value, $"architecture -> {value}");
            }
        }
        return (arch.ToJsonString(), what);
    }

    /// <summary>A mutation of an IDX file: its type, rank or a dimension, or bytes; sometimes gzipped afterwards.</summary>
    public (byte[] Bytes, string What) Idx(byte[] raw)
    {
        var b = (byte[])raw.Clone();
        string what;
        int rank = b.Length > 3 ? b[3] : 0;
        switch (Int(4))
        {
            case 0 when b.Length > 3:
                int field = Int(2) + 2;
                b[field] = Pick(new byte[] { 0, 1, 3, 4, 5, 8, 9, 0x0D, 0xFF });
                what = $"byte {field} -> {b[field]}";
                break;
            case 1 when rank > 0 && b.Length >= 4 + 4 * rank:
            {
                int i = Int(rank);
                uint dim = Pick(new uint[] { 0, 1, 2, 3, 7, 255, 65536, int.MaxValue, 1u << 31, uint.MaxValue, 10_000, 100_000_000 });
                BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4 + 4 * i), dim);
                what = $"dimension {i} -> {dim}";
                break;
            }
            default:
                (b, what) = Bytes(b, Math.Min(b.Length, 4 + 4 * Math.Max(rank, 1)));
                break;
        }
        return (b, what);
    }

    /// <summary>A mutation of CSV text: tokens inserted, text deleted, truncation, a duplicate header, lines repeated.</summary>
    public (string Text, string What) Csv(string text)
    {
        string[] tokens = [",", "\"", "\n", "\r\n", " ", "abc", "NaN", "1e999", "-", ".", "\0", "\uFEFF", "\"\"", ",,", "\u2028", "é", "\uD800", new string('9', 400), "\"a\nb\"", "1.5", "2"];
        int at = text.Length == 0 ? 0 : Int(text.Length + 1);
        switch (Int(6))
        {
            case 0:
            case 1:
            {
                string token = Pick(tokens);
                return (text[..at] + token + text[at..], $"'{Escape(token)}' inserted at {at}");
            }
            case 2:
            {
                int count = Math.Min(1 + Int(6), text.Length - at);
                return (text.Remove(at, count), $"{count} characters deleted at {at}");
            }
            case 3:
                return (text[..at], $"truncated to {at} characters");
            case 4:
            {
                int comma = text.IndexOf(',');
                int newline = text.IndexOf('\n');
                if (comma < 0 || newline < comma) return Csv(text);
                string first = text[..comma];
                int second = text.IndexOf(',', comma + 1);
                int end = second < 0 || second > newline ? newline : second;
                return (text[..(comma + 1)] + first + text[end..], "the second column name repeats the first");
            }
            default:
            {
                var lines = text.Split('\n').ToList();
                int i = Int(lines.Count);
                if (Chance(0.5)) lines.Insert(i, lines[Int(lines.Count)]);
                else lines.Insert(i, "");
                return (string.Join('\n', lines), $"line {i} repeated or blank");
            }
        }
    }

    /// <summary>A gzip copy of <paramref name="raw"/>.</summary>
    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    private static string Escape(string s) => ScratchNet.TextExcerpt.Of(s, 12);
}
