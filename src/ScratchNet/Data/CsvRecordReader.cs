using System.Text;

namespace ScratchNet.Data;

/// <summary>
/// Reads a CSV file as a stream, one record at a time, holding only the current record: the header is
/// read and checked when the reader is created, then <see cref="Next"/> moves from data row to data row
/// and <see cref="Field"/> gives a cell as characters (no string is made unless asked for with
/// <see cref="FieldText"/>). The dialect is <see cref="CsvReader"/>'s: RFC 4180, commas, optional double
/// quotes with "" for a quote, LF or CRLF, blank lines skipped, unquoted cells trimmed.
/// </summary>
/// <remarks>
/// Memory: one record (at most <see cref="Limits.MaxCsvRecordChars"/> characters and
/// <see cref="Limits.MaxCsvColumns"/> fields) and a 64 KiB read buffer, whatever the file's size.
/// A gzip file (by its magic bytes) is decompressed as it is read, up to <see cref="Limits.MaxDecompressedBytes"/>.
/// Every error is a <see cref="DataFormatException"/> that names the file and the line, and quotes
/// at most a short excerpt of a cell.
/// </remarks>
/// <example>
/// <code>
/// using var csv = CsvRecordReader.Open("prices.csv");
/// int price = csv.ColumnIndex("price");
/// while (csv.Next()) Console.WriteLine($"line {csv.Line}: {csv.FieldText(price)}");
/// </code>
/// </example>
public sealed class CsvRecordReader : IDisposable, ICsvRows
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[1 << 16];
    private int _bufferLength, _bufferPosition;
    private bool _endOfInput, _startRead;

    private char[] _chars = new char[256];
    private int _charCount;
    private int[] _fieldStart = new int[16], _fieldLength = new int[16];
    private int _fieldCount;
    private int _line = 1;
    private Dictionary<string, int>? _exact, _ignoreCase;

    /// <summary>A reader of CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in errors. Reads and checks the header.</summary>
    /// <exception cref="DataFormatException">The text is empty, or its header is malformed (an empty or duplicate column name).</exception>
    public CsvRecordReader(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        _reader = reader;
        Source = source;
        if (!ReadRecord())
            throw new DataFormatException(source, "the file is empty (expected a header line and data rows)");
        HeaderLine = Line;
        var header = new string[_fieldCount];
        var seen = new HashSet<string>(_fieldCount, StringComparer.Ordinal);
        for (int h = 0; h < header.Length; h++)
        {
            header[h] = FieldText(h);
            if (header[h].Length == 0) throw new DataFormatException(source, $"line {HeaderLine}, column {h + 1}: empty column name in the header");
            if (header[h].Length > Limits.MaxNameChars)
                throw new DataFormatException(source, $"line {HeaderLine}, column {h + 1}: a column name of {header[h].Length:N0} characters ('{TextExcerpt.Of(header[h])}'; at most {Limits.MaxNameChars:N0})");
            if (!seen.Add(header[h])) throw new DataFormatException(source, $"line {HeaderLine}, column {h + 1}: duplicate column name '{TextExcerpt.Of(header[h])}'");
        }
        Header = header;
    }

    /// <summary>Opens <paramref name="path"/> (raw UTF-8 text, or gzip) and reads its header.</summary>
    /// <exception cref="DataFormatException">The file is missing or unreadable, empty, or its header is malformed.</exception>
    public static CsvRecordReader Open(string path)
    {
        Stream stream;
        try { stream = DatasetManager.OpenDecompressed(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot read the file ({e.Message.TrimEnd('.')})", e);
        }
        var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        try { return new CsvRecordReader(text, path); }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    /// <summary>The file (for error messages).</summary>
    public string Source { get; }

    /// <summary>The column names.</summary>
    public string[] Header { get; }

    /// <summary>The line of the header.</summary>
    public int HeaderLine { get; }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>Data rows read so far (the current one included).</summary>
    public int RowCount { get; private set; }

    /// <summary>
    /// Moves to the next data row; false at the end of the file. Every row has exactly
    /// <see cref="Header"/>.Length fields.
    /// </summary>
    /// <exception cref="DataFormatException">A row has another number of fields, a quote is misplaced or not closed, a record is over the limits, or the file has no data row at all.</exception>
    public bool Next()
    {
        if (!ReadRecord())
        {
            if (RowCount == 0) throw new DataFormatException(Source, "no data rows after the header line");
            return false;
        }
        if (_fieldCount != Header.Length)
            throw new DataFormatException(Source, $"line {Line} has {_fieldCount} fields but the header has {Header.Length}");
        RowCount++;
        return true;
    }

    /// <summary>The cell in column <paramref name="column"/> of the current row (valid until <see cref="Next"/>).</summary>
    public ReadOnlySpan<char> Field(int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, _fieldCount);
        return _chars.AsSpan(_fieldStart[column], _fieldLength[column]);
    }

    /// <summary>The cell in column <paramref name="column"/> of the current row as a string.</summary>
    public string FieldText(int column) => new(Field(column));

    /// <summary>"line 5, column 2 ('TV')": where a cell of the current row is, for error messages.</summary>
    public string Where(int column) => CsvTable.Where(Line, column, Header);

    /// <summary>The index of column <paramref name="name"/> (exact, then case-insensitive).</summary>
    /// <exception cref="DataFormatException">No such column; the message lists (the first of) the columns.</exception>
    public int ColumnIndex(string name)
    {
        if (_exact is null)
        {
            _exact = new Dictionary<string, int>(Header.Length, StringComparer.Ordinal);
            _ignoreCase = new Dictionary<string, int>(Header.Length, StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < Header.Length; i++)
            {
                _exact.TryAdd(Header[i], i);
                _ignoreCase.TryAdd(Header[i], i);
            }
        }
        if (_exact.TryGetValue(name, out int c) || _ignoreCase!.TryGetValue(name, out c)) return c;
        throw new DataFormatException(Source, CsvTable.NoColumn(name, Header));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();

    /// <summary>Reads the next record that is not blank into the field arrays; false at the end of the input.</summary>
    private bool ReadRecord()
    {
        while (true)
        {
            Line = _line;
            if (!ParseRecord()) return false;
            if (!(_fieldCount == 1 && _fieldLength[0] == 0)) return true;
        }
    }

    /// <summary>One record up to its line break or the end of the input; false when the input had nothing left.</summary>
    private bool ParseRecord()
    {
        _charCount = 0;
        _fieldCount = 0;
        int cellStart = 0, quoteLine = 0;
        bool inQuotes = false, cellQuoted = false, cellHasText = false, consumed = false;
        while (true)
        {
            int next = Read();
            if (next < 0)
            {
                if (inQuotes) throw new DataFormatException(Source, $"line {quoteLine}: a quoted field is not closed before the end of the file");
                if (!consumed) return false;
                EndField(cellStart, cellQuoted);
                return true;
            }
            consumed = true;
            char c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (Peek() == '"') { Read(); Append('"'); cellHasText = true; continue; }
                    inQuotes = false;
                    continue;
                }
                if (c == '\n') _line++;
                Append(c);
                if (!char.IsWhiteSpace(c)) cellHasText = true;
                continue;
            }
            switch (c)
            {
                case '"':
                    if (cellHasText)
                        throw new DataFormatException(Source, $"line {_line}, column {_fieldCount + 1}: a quote inside an unquoted field");
                    _charCount = cellStart;
                    inQuotes = true;
                    cellQuoted = true;
                    quoteLine = _line;
                    break;
                case ',':
                    EndField(cellStart, cellQuoted);
                    cellStart = _charCount;
                    cellQuoted = cellHasText = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndField(cellStart, cellQuoted);
                    _line++;
                    return true;
                default:
                    if (cellQuoted)
                    {
                        if (!char.IsWhiteSpace(c))
                            throw new DataFormatException(Source, $"line {_line}, column {_fieldCount + 1}: text after the closing quote");
                        break;
                    }
                    Append(c);
                    if (!char.IsWhiteSpace(c)) cellHasText = true;
                    break;
            }
        }
    }

    private void EndField(int start, bool quoted)
    {
        int end = _charCount;
        if (!quoted)
        {
            while (start < end && char.IsWhiteSpace(_chars[start])) start++;
            while (end > start && char.IsWhiteSpace(_chars[end - 1])) end--;
        }
        if (_fieldCount == _fieldStart.Length)
        {
            if (_fieldCount >= Limits.MaxCsvColumns)
                throw new DataFormatException(Source, $"line {Line} has more than {Limits.MaxCsvColumns:N0} fields (the limit)");
            int grown = Math.Min(2 * _fieldCount, Limits.MaxCsvColumns);
            Array.Resize(ref _fieldStart, grown);
            Array.Resize(ref _fieldLength, grown);
        }
        _fieldStart[_fieldCount] = start;
        _fieldLength[_fieldCount] = end - start;
        _fieldCount++;
    }

    private void Append(char c)
    {
        if (_charCount == _chars.Length)
        {
            if (_charCount >= Limits.MaxCsvRecordChars)
                throw new DataFormatException(Source, $"line {Line}: the record is longer than {Limits.MaxCsvRecordChars:N0} characters (the limit; is a quote not closed?)");
            Array.Resize(ref _chars, Math.Min(2 * _chars.Length, Limits.MaxCsvRecordChars));
        }
        _chars[_charCount++] = c;
    }

    private int Read()
    {
        if (_bufferPosition == _bufferLength && !Fill()) return -1;
        return _buffer[_bufferPosition++];
    }

    private int Peek()
    {
        if (_bufferPosition == _bufferLength && !Fill()) return -1;
        return _buffer[_bufferPosition];
    }

    private bool Fill()
    {
        if (_endOfInput) return false;
        try { _bufferLength = _reader.Read(_buffer, 0, _buffer.Length); }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new DataFormatException(Source, $"read error ({e.Message.TrimEnd('.')})", e);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(Source, $"corrupt gzip data ({e.Message.TrimEnd('.')})", e);
        }
        _bufferPosition = 0;
        if (_bufferLength == 0)
        {
            _endOfInput = true;
            return false;
        }
        if (!_startRead)
        {
            _startRead = true;
            // A byte-order mark is not part of the first column's name.
            if (_buffer[0] == '\uFEFF') _bufferPosition = 1;
        }
        return _bufferPosition < _bufferLength || Fill();
    }
}
