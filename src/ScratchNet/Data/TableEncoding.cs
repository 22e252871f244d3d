using System.Globalization;
using System.Text.Json;
using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// The one owner of how table rows become model inputs, fitted on the training split and saved in the
/// model file so that training, <c>evaluate</c> and <c>predict</c> prepare a row the same way: each
/// feature column in order, numeric columns as their value (or its log(1 + x)) and text columns one-hot over their
/// categories (<see cref="TableColumn"/>); a missing cell (empty, NA, N/A, NaN or null) takes the
/// training mean (numeric) or most frequent category (text). A regression target's standardisation
/// (<see cref="Target"/>) travels with it. Feature scaling (<see cref="Standardizer"/>) comes after, on
/// the encoded inputs.
/// </summary>
public sealed class TableEncoding
{
    private readonly Dictionary<string, int>?[] _lookup;

    /// <summary>An encoding of <paramref name="columns"/>, in input order.</summary>
    /// <exception cref="ArgumentException">No columns, a duplicate or bad name, an empty, duplicate or over-long category list, a fill out of range or not finite.</exception>
    public TableEncoding(IReadOnlyList<TableColumn> columns, TargetScaling? target = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count is 0 or > Limits.MaxCsvColumns) throw new ArgumentException($"A table encoding needs 1 to {Limits.MaxCsvColumns:N0} columns (got {columns.Count:N0}).");
        var names = new HashSet<string>(StringComparer.Ordinal);
        _lookup = new Dictionary<string, int>?[columns.Count];
        long categories = 0;
        for (int j = 0; j < columns.Count; j++)
        {
            var c = columns[j] ?? throw new ArgumentException($"Column {j + 1} of the table encoding is null.");
            // Any header a CSV reader accepts is a valid name: not empty, at most MaxNameChars.
            if (string.IsNullOrEmpty(c.Name) || c.Name.Length > Limits.MaxNameChars)
                throw new ArgumentException($"Column {j + 1} of the table encoding has no name, or one longer than {Limits.MaxNameChars:N0} characters.");
            if (!names.Add(c.Name)) throw new ArgumentException($"The table encoding lists column '{TextExcerpt.Of(c.Name)}' twice.");
            if (c.Categories is null)
            {
                // A log column's fill is a mean of log(1 + x) over x ≥ 0.
                if (c.Log1p && !(c.Fill >= 0)) throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}' is read as log(1 + x): its fill value must be at least 0 (got {c.Fill.ToString(CultureInfo.InvariantCulture)}).");
                if (!float.IsFinite(c.Fill)) throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}': its fill value must be finite (got {c.Fill.ToString(CultureInfo.InvariantCulture)}).");
                continue;
            }
            if (c.Log1p) throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}' has categories: only a numeric column can be read as log(1 + x).");
            if (c.Categories.Count is 0 or > Limits.MaxCategoriesPerColumn)
                throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}' has {c.Categories.Count:N0} categories (1 to {Limits.MaxCategoriesPerColumn:N0}, Limits.MaxCategoriesPerColumn).");
            categories += c.Categories.Count;
            if (categories > Limits.MaxCategories)
                throw new ArgumentException($"The text columns have more than {Limits.MaxCategories:N0} categories in all (Limits.MaxCategories).");
            if (c.FillCategory < 0 || c.FillCategory >= c.Categories.Count)
                throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}': its fill category {c.FillCategory} is not one of its {c.Categories.Count} categories.");
            var lookup = new Dictionary<string, int>(c.Categories.Count, StringComparer.Ordinal);
            for (int k = 0; k < c.Categories.Count; k++)
            {
                string? category = c.Categories[k];
                if (category is null || category.Length > Limits.MaxNameChars || IsMissing(category))
                    throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}': category {k + 1} is null, a missing-value marker or longer than {Limits.MaxNameChars:N0} characters.");
                if (!lookup.TryAdd(category, k)) throw new ArgumentException($"Column '{TextExcerpt.Of(c.Name)}' lists category '{TextExcerpt.Of(category)}' twice.");
            }
            _lookup[j] = lookup;
        }
        Columns = columns.ToArray();
        Target = target;
        Width = checked((int)Columns.Sum(c => (long)c.Width));
    }

    /// <summary>The feature columns, in input order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>The regression target's standardisation, or null (classification, or a target left in its units).</summary>
    public TargetScaling? Target { get; }

    /// <summary>Model inputs per row: Σ over columns of 1 (numeric) or the category count (text).</summary>
    public int Width { get; }

    /// <summary>The column names, in order (what a CSV file given to the model must have).</summary>
    public IReadOnlyList<string> ColumnNames => Columns.Select(c => c.Name).ToArray();

    /// <summary>The name of each model input: the column's name, or "column=category" for a one-hot input.</summary>
    public IReadOnlyList<string> InputNames =>
        Columns.SelectMany(c => c.Categories is { } cats ? cats.Select(k => $"{c.Name}={k}") : [c.Name]).ToArray();

    /// <summary>Whether a cell counts as missing: empty or blank, NA, N/A, NaN or null (any case, surrounding blanks ignored).</summary>
    public static bool IsMissing(ReadOnlySpan<char> cell)
    {
        var t = cell.Trim();
        return t.Length == 0 || t.Equals("NA", StringComparison.OrdinalIgnoreCase) || t.Equals("N/A", StringComparison.OrdinalIgnoreCase)
            || t.Equals("NaN", StringComparison.OrdinalIgnoreCase) || t.Equals("null", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The index of each column in <paramref name="csv"/>'s header.</summary>
    internal int[] ColumnIndices(ICsvRows csv) => Columns.Select(c => csv.ColumnIndex(c.Name)).ToArray();

    /// <summary>
    /// Encodes the current row of <paramref name="csv"/> into <paramref name="inputs"/> (<see cref="Width"/> values).
    /// </summary>
    /// <exception cref="DataFormatException">A numeric cell that is not a number, or a category not seen in training (file, line, column).</exception>
    internal void EncodeRow(ICsvRows csv, int[] columns, Span<float> inputs)
    {
        int at = 0;
        for (int j = 0; j < Columns.Count; j++)
        {
            var c = Columns[j];
            var cell = csv.Field(columns[j]);
            if (_lookup[j] is not { } lookup)
            {
                if (IsMissing(cell)) inputs[at] = c.Fill;
                else if (!CsvReader.TryParseNumber(cell, out inputs[at]))
                    throw new DataFormatException(csv.Source, $"{CsvTable.Where(csv.Line, columns[j], csv.Header)}: '{TextExcerpt.Of(cell)}' is not a number (the model's column '{TextExcerpt.Of(c.Name)}' is numeric)");
                else if (c.Log1p)
                {
                    if (inputs[at] < 0)
                        throw new DataFormatException(csv.Source, $"{CsvTable.Where(csv.Line, columns[j], csv.Header)}: {TextExcerpt.Of(cell)} is below 0, but the model reads column '{TextExcerpt.Of(c.Name)}' as log(1 + x)");
                    inputs[at] = TableColumn.LogOnePlus(inputs[at]);
                }
                at++;
                continue;
            }
            int k = c.FillCategory;
            if (!IsMissing(cell) && !lookup.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(cell, out k))
                throw new DataFormatException(csv.Source, $"{CsvTable.Where(csv.Line, columns[j], csv.Header)}: category '{TextExcerpt.Of(cell)}' was not seen in training " +
                    $"(the model knows {c.Categories!.Count:N0}: {TextExcerpt.Of(string.Join(", ", c.Categories.Take(20).Select(n => $"'{n}'")), 200)})");
            var span = inputs.Slice(at, c.Categories!.Count);
            span.Clear();
            span[k] = 1;
            at += span.Length;
        }
    }

    /// <summary>
    /// The encoded inputs of every row of the CSV file at <paramref name="path"/> (a header naming at
    /// least this encoding's columns), read as a stream: shape (rows, <see cref="Width"/>), at most
    /// <see cref="Limits.MaxTableValues"/> values.
    /// </summary>
    /// <exception cref="DataFormatException">The file is malformed, lacks a column, has a bad cell or an unseen category, or passes the limit.</exception>
    public Tensor ReadInputs(string path)
    {
        using var csv = CsvRecordReader.Open(path);
        int[] columns = ColumnIndices(csv);
        long maxRows = Limits.MaxTableValues / Width;
        var x = new ChunkedBuffer<float>(Width);
        while (csv.Next())
        {
            if (x.Count >= maxRows)
                throw new DataFormatException(csv.Source, $"line {csv.Line}: more than {maxRows:N0} rows of {Width:N0} inputs, more than the limit of {Limits.MaxTableValues:N0} values");
            EncodeRow(csv, columns, x.AddRow());
        }
        var t = new Tensor(x.Count, Width);
        for (int i = 0; i < x.Count; i++) x.Row(i).CopyTo(t.Span.Slice(i * Width, Width));
        return t;
    }

    /// <summary>
    /// The encoding as JSON: {"columns":[{"name":"area","fill":1500.5},{"name":"income","fill":10.2,"log1p":true},{"name":"zone","categories":["A","B"],"fill_category":1}],"target":{"mean":..,"scale":..}}.
    /// </summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("columns");
            foreach (var c in Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                if (c.Categories is { } cats)
                {
                    w.WriteStartArray("categories");
                    foreach (var k in cats) w.WriteStringValue(k);
                    w.WriteEndArray();
                    w.WriteNumber("fill_category", c.FillCategory);
                }
                else
                {
                    w.WriteNumber("fill", c.Fill);
                    if (c.Log1p) w.WriteBoolean("log1p", true);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (Target is { } t)
            {
                w.WriteStartObject("target");
                w.WriteNumber("mean", t.Mean);
                w.WriteNumber("scale", t.Scale);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Reads <see cref="ToJson"/>'s text, checking every value.</summary>
    /// <exception cref="FormatException">Not JSON of that form, or a value out of range (the message says which).</exception>
    public static TableEncoding FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("columns", out var cols) || cols.ValueKind != JsonValueKind.Array)
                throw new FormatException("the table encoding is not an object with a 'columns' array");
            if (cols.GetArrayLength() is 0 or > Limits.MaxCsvColumns) throw new FormatException($"the table encoding has {cols.GetArrayLength():N0} columns (1 to {Limits.MaxCsvColumns:N0})");
            var columns = new List<TableColumn>();
            foreach (var c in cols.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    throw new FormatException($"column {columns.Count + 1} of the table encoding has no name");
                if (c.TryGetProperty("categories", out var cats))
                {
                    if (cats.ValueKind != JsonValueKind.Array || cats.GetArrayLength() is 0 or > Limits.MaxCategoriesPerColumn)
                        throw new FormatException($"column '{TextExcerpt.Of(name.GetString())}': categories must be an array of 1 to {Limits.MaxCategoriesPerColumn:N0} strings");
                    var list = cats.EnumerateArray().Select(k => k.ValueKind == JsonValueKind.String ? k.GetString()! : throw new FormatException($"column '{TextExcerpt.Of(name.GetString())}': a category is not a string")).ToArray();
                    int fill = c.TryGetProperty("fill_category", out var f) && f.ValueKind == JsonValueKind.Number && f.TryGetInt32(out int v) ? v
                        : throw new FormatException($"column '{TextExcerpt.Of(name.GetString())}': fill_category is not a whole number");
                    columns.Add(new TableColumn { Name = name.GetString()!, Categories = list, FillCategory = fill });
                }
                else
                {
                    float fill = c.TryGetProperty("fill", out var f) && f.ValueKind == JsonValueKind.Number && f.TryGetSingle(out float v) ? v
                        : throw new FormatException($"column '{TextExcerpt.Of(name.GetString())}': fill is not a number");
                    bool log = c.TryGetProperty("log1p", out var l) && (l.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? l.GetBoolean() : throw new FormatException($"column '{TextExcerpt.Of(name.GetString())}': log1p is not true or false"));
                    columns.Add(new TableColumn { Name = name.GetString()!, Fill = fill, Log1p = log });
                }
            }
            TargetScaling? target = null;
            if (root.TryGetProperty("target", out var t))
            {
                if (t.ValueKind != JsonValueKind.Object || !t.TryGetProperty("mean", out var m) || m.ValueKind != JsonValueKind.Number
                    || !t.TryGetProperty("scale", out var s) || s.ValueKind != JsonValueKind.Number)
                    throw new FormatException("the table encoding's target needs a numeric mean and scale");
                target = new TargetScaling(m.GetDouble(), s.GetDouble());
            }
            return new TableEncoding(columns, target);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new FormatException($"the table encoding is not valid ({TextExcerpt.Of(e.Message.Split('\n')[0].TrimEnd('.'), 200)})", e);
        }
    }
}
