using System.Globalization;

namespace ScratchNet.Data;

/// <summary>
/// Reads CSV files (RFC 4180: comma-separated, optional double quotes with "" for a quote, LF or
/// CRLF line ends, a header line first). Errors name the file, the line and the column. The file is
/// read as a stream (<see cref="CsvRecordReader"/>), never whole into one string.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads <paramref name="path"/> into text cells.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty, has no header or no rows, or a row has the wrong number of fields.</exception>
    public static CsvTable Read(string path)
    {
        using var csv = CsvRecordReader.Open(path);
        return ReadAll(csv);
    }

    /// <summary>Parses CSV <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static CsvTable Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var csv = new CsvRecordReader(new StringReader(text), source);
        return ReadAll(csv);
    }

    private static CsvTable ReadAll(CsvRecordReader csv)
    {
        var rows = new List<string[]>();
        var lines = new List<int>();
        while (csv.Next())
        {
            var row = new string[csv.Header.Length];
            for (int c = 0; c < row.Length; c++) row[c] = csv.FieldText(c);
            rows.Add(row);
            lines.Add(csv.Line);
        }
        return new CsvTable(csv.Source, csv.Header, rows, lines);
    }

    /// <summary>Parses a number the invariant way ("1.5", "-2e3"); false for text, empty, NaN or infinity.</summary>
    public static bool TryParseNumber(string cell, out float value) => TryParseNumber(cell.AsSpan(), out value);

    /// <summary>Parses a number the invariant way ("1.5", "-2e3"); false for text, empty, NaN or infinity (1e999 included).</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> cell, out float value) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
