using System.Text;
using System.Text.Json;

namespace ScratchNet.Cli.Options;

/// <summary>Writes one JSON object to a text writer (for --json).</summary>
public static class JsonOut
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body, bool indented = true)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
    }

    /// <summary>An array of strings.</summary>
    public static void Strings(this Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
