namespace ScratchNet.Data;

/// <summary>The rows of a <see cref="CsvTable"/> as an <see cref="ICsvRows"/>.</summary>
internal sealed class CsvTableRows(CsvTable table) : ICsvRows
{
    private int _row = -1;
    private Dictionary<string, int>? _exact, _ignoreCase;

    public string Source => table.Path;

    public string[] Header => table.Header;

    public int Line => table.LineNumbers[_row];

    public bool Next() => ++_row < table.Rows.Count;

    public ReadOnlySpan<char> Field(int column) => table.Rows[_row][column];

    public int ColumnIndex(string name)
    {
        if (_exact is null)
        {
            _exact = new Dictionary<string, int>(table.Header.Length, StringComparer.Ordinal);
            _ignoreCase = new Dictionary<string, int>(table.Header.Length, StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < table.Header.Length; i++)
            {
                _exact.TryAdd(table.Header[i], i);
                _ignoreCase.TryAdd(table.Header[i], i);
            }
        }
        return _exact.TryGetValue(name, out int c) || _ignoreCase!.TryGetValue(name, out c) ? c : throw new DataFormatException(table.Path, CsvTable.NoColumn(name, table.Header));
    }
}
