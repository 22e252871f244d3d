using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Text.Json;
using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Per-feature rescaling z = (x - shift) / scale, fitted on the training split only and saved with the
/// model so that prediction applies the very same numbers. z-score: shift = mean, scale = population
/// standard deviation; min-max: shift = min, scale = max - min. A constant feature gets scale 1.
/// </summary>
public sealed class Standardizer
{
    /// <summary>A standardizer with explicit parameters (one per feature).</summary>
    public Standardizer(StandardizeMode mode, float[] shift, float[] scale)
    {
        if (shift.Length != scale.Length)
            throw new ArgumentException($"A standardizer needs as many scales as shifts ({shift.Length} vs {scale.Length}).");
        foreach (float s in scale)
            if (!(s > 0) || !float.IsFinite(s)) throw new ArgumentException($"Standardizer scales must be positive and finite (got {s}).");
        // A NaN or infinite shift would turn every prediction into NaN without a word.
        foreach (float s in shift)
            if (!float.IsFinite(s)) throw new ArgumentException($"Standardizer shifts must be finite (got {s}).");
        Mode = mode;
        Shift = shift;
        Scale = scale;
    }

    /// <summary>z-score or min-max.</summary>
    public StandardizeMode Mode { get; }

    /// <summary>Subtracted from each feature (mean or min).</summary>
    public float[] Shift { get; }

    /// <summary>Divides each shifted feature (standard deviation or range).</summary>
    public float[] Scale { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount => Shift.Length;

    /// <summary>Fits on <paramref name="features"/> (rows = samples, columns = features), accumulating in double.</summary>
    public static Standardizer Fit(Tensor features, StandardizeMode mode)
    {
        if (mode == StandardizeMode.None) throw new ArgumentException("StandardizeMode.None has nothing to fit.", nameof(mode));
        int n = features.Rank <= 1 ? features.Length : features.Dim(0);
        int d = features.Rank <= 1 ? 1 : features.Columns;
        if (n == 0) throw new ArgumentException("Cannot fit a standardizer on zero samples.");
        var span = features.Span;
        var shift = new float[d];
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            if (mode == StandardizeMode.ZScore)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += span[i * d + j];
                double mean = sum / n, sq = 0;
                for (int i = 0; i < n; i++) { double t = span[i * d + j] - mean; sq += t * t; }
                double std = Math.Sqrt(sq / n);
                shift[j] = (float)mean;
                scale[j] = std > 1e-12 ? (float)std : 1f;
            }
            else
            {
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                for (int i = 0; i < n; i++) { float v = span[i * d + j]; if (v < min) min = v; if (v > max) max = v; }
                shift[j] = min;
                scale[j] = max - min > 0 ? max - min : 1f;
            }
        }
        return new Standardizer(mode, shift, scale);
    }

    /// <summary>Rescales <paramref name="features"/> in place: x ← (x - shift) / scale, per column.</summary>
    public void Transform(Tensor features)
    {
        int d = features.Rank <= 1 ? 1 : features.Columns;
        if (d != FeatureCount)
            throw new ShapeMismatchException("Standardizer.Transform", features.ShapeString, $"(batch, {FeatureCount})");
        var span = features.Span;
        // Per row: (x - shift) / scale, element-wise (vectorised; the same bits as the scalar loop,
        // since each element is one IEEE subtraction and one division).
        for (int start = 0; start + d <= span.Length; start += d)
        {
            var row = span.Slice(start, d);
            TensorPrimitives.Subtract(row, Shift, row);
            TensorPrimitives.Divide(row, Scale, row);
        }
    }

    /// <summary>Undoes <see cref="Transform"/> in place: x ← z * scale + shift.</summary>
    public void Inverse(Tensor features)
    {
        int d = features.Rank <= 1 ? 1 : features.Columns;
        if (d != FeatureCount)
            throw new ShapeMismatchException("Standardizer.Inverse", features.ShapeString, $"(batch, {FeatureCount})");
        var span = features.Span;
        for (int start = 0; start + d <= span.Length; start += d)
        {
            var row = span.Slice(start, d);
            for (int j = 0; j < d; j++) row[j] = row[j] * Scale[j] + Shift[j];
        }
    }

    /// <summary>The parameters as JSON for model metadata: {"mode":"zscore","shift":[...],"scale":[...]} (floats round-trip exactly).</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("mode", ModeName(Mode));
            w.WriteStartArray("shift");
            foreach (float v in Shift) w.WriteRawValue(v.ToString("R", CultureInfo.InvariantCulture));
            w.WriteEndArray();
            w.WriteStartArray("scale");
            foreach (float v in Scale) w.WriteRawValue(v.ToString("R", CultureInfo.InvariantCulture));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/>'s text.</summary>
    /// <exception cref="FormatException">The text is not a standardizer.</exception>
    public static Standardizer FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("a standardizer must be a JSON object");
            var mode = ParseMode(root.GetProperty("mode").GetString() ?? "");
            float[] Read(string key)
            {
                var array = root.GetProperty(key);
                if (array.ValueKind != JsonValueKind.Array) throw new FormatException($"'{key}' is not an array of numbers");
                return array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetSingle(out float v) && float.IsFinite(v)
                    ? v : throw new FormatException($"'{key}' has '{TextExcerpt.Of(e.GetRawText())}', not a finite number")).ToArray();
            }
            return new Standardizer(mode, Read("shift"), Read("scale"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new FormatException($"Invalid standardizer parameters: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <summary>"zscore", "minmax" or "none".</summary>
    public static string ModeName(StandardizeMode mode) => mode switch
    {
        StandardizeMode.ZScore => "zscore",
        StandardizeMode.MinMax => "minmax",
        _ => "none",
    };

    /// <summary>Parses "zscore"/"z-score"/"minmax"/"min-max"/"none".</summary>
    public static StandardizeMode ParseMode(string text) => text.Replace("-", "").Replace("_", "").ToLowerInvariant() switch
    {
        "zscore" or "standard" => StandardizeMode.ZScore,
        "minmax" => StandardizeMode.MinMax,
        "none" or "" => StandardizeMode.None,
        _ => throw new FormatException($"Unknown standardization '{TextExcerpt.Of(text)}' (use zscore, minmax or none)."),
    };
}
