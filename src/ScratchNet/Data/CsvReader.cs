using System.Globalization;
using System.Text;

namespace ScratchNet.Data;

/// <summary>
/// Reads CSV files (RFC 4180: comma-separated, optional double quotes with "" for a quote, LF or
/// CRLF line ends, a header line first). Errors name the file, the line and the column.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads <paramref name="path"/> into text cells.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty, has no header or no rows, or a row has the wrong number of fields.</exception>
    public static CsvTable Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot read the file ({e.Message.TrimEnd('.')})", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses CSV <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static CsvTable Parse(string text, string source)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (string.IsNullOrWhiteSpace(text)) throw new DataFormatException(source, "the file is empty (expected a header line and data rows)");
        var records = new List<(string[] Cells, int Line)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        int line = 1, recordLine = 1, quoteLine = 0;
        bool inQuotes = false, cellQuoted = false;
        int i = 0;
        void EndCell() { cells.Add(cellQuoted ? cell.ToString() : cell.ToString().Trim()); cell.Clear(); cellQuoted = false; }
        void EndRecord()
        {
            EndCell();
            // Blank lines are skipped.
            if (!(cells.Count == 1 && cells[0].Length == 0)) records.Add((cells.ToArray(), recordLine));
            cells.Clear();
        }
        while (i < text.Length)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i += 2; continue; }
                    inQuotes = false; i++; continue;
                }
                if (c == '\n') line++;
                cell.Append(c); i++; continue;
            }
            switch (c)
            {
                case '"':
                    if (cell.ToString().Trim().Length != 0)
                        throw new DataFormatException(source, $"line {line}, column {cells.Count + 1}: a quote inside an unquoted field");
                    cell.Clear(); inQuotes = true; cellQuoted = true; quoteLine = line; i++; break;
                case ',':
                    EndCell(); i++; break;
                case '\r':
                    i++; break;
                case '\n':
                    EndRecord(); line++; recordLine = line; i++; break;
                default:
                    if (cellQuoted && !char.IsWhiteSpace(c))
                        throw new DataFormatException(source, $"line {line}, column {cells.Count + 1}: text after the closing quote");
                    if (!cellQuoted) cell.Append(c);
                    i++; break;
            }
        }
        if (inQuotes) throw new DataFormatException(source, $"line {quoteLine}: a quoted field is not closed before the end of the file");
        if (cell.Length > 0 || cells.Count > 0 || cellQuoted) EndRecord();

        if (records.Count == 0) throw new DataFormatException(source, "the file is empty (expected a header line and data rows)");
        var header = records[0].Cells;
        for (int h = 0; h < header.Length; h++)
        {
            if (header[h].Length == 0) throw new DataFormatException(source, $"line {records[0].Line}, column {h + 1}: empty column name in the header");
            for (int k = 0; k < h; k++)
                if (header[k] == header[h]) throw new DataFormatException(source, $"line {records[0].Line}, column {h + 1}: duplicate column name '{header[h]}'");
        }
        if (records.Count == 1) throw new DataFormatException(source, "no data rows after the header line");
        var rows = new List<string[]>(records.Count - 1);
        var lines = new List<int>(records.Count - 1);
        for (int r = 1; r < records.Count; r++)
        {
            var (row, at) = records[r];
            if (row.Length != header.Length)
                throw new DataFormatException(source, $"line {at} has {row.Length} fields but the header has {header.Length}");
            rows.Add(row);
            lines.Add(at);
        }
        return new CsvTable(source, header, rows, lines);
    }

    /// <summary>Parses a number the invariant way ("1.5", "-2e3"); false for text, empty, NaN or infinity.</summary>
    public static bool TryParseNumber(string cell, out float value) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
