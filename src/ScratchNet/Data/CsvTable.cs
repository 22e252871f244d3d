namespace ScratchNet.Data;

/// <summary>A CSV file as text cells: the header and the data rows, each with its line number.</summary>
/// <param name="Path">The file (for error messages).</param>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Data rows; each has exactly Header.Length cells.</param>
/// <param name="LineNumbers">The 1-based line on which each row starts.</param>
public sealed record CsvTable(string Path, string[] Header, IReadOnlyList<string[]> Rows, IReadOnlyList<int> LineNumbers)
{
    /// <summary>The most column names an error message lists.</summary>
    private const int ListedColumns = 20;

    /// <summary>The index of column <paramref name="name"/> (exact, then case-insensitive).</summary>
    /// <exception cref="DataFormatException">No such column; the message lists the columns.</exception>
    public int ColumnIndex(string name)
    {
        int i = Array.IndexOf(Header, name);
        if (i < 0) i = Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        if (i < 0) throw new DataFormatException(Path, NoColumn(name, Header));
        return i;
    }

    /// <summary>"file, line 5, column 2 ('TV')": where a cell is, for error messages.</summary>
    public string Where(int row, int column) => Where(LineNumbers[row], column, Header);

    /// <summary>"line 5, column 2 ('TV')" (the column name cut short when long).</summary>
    internal static string Where(int line, int column, string[] header) => $"line {line}, column {column + 1} ('{TextExcerpt.Of(header[column])}')";

    /// <summary>The message for a column that is not in <paramref name="header"/>: it lists the first columns.</summary>
    internal static string NoColumn(string name, string[] header)
    {
        string listed = string.Join(", ", header.Take(ListedColumns).Select(h => $"'{TextExcerpt.Of(h)}'"));
        string more = header.Length > ListedColumns ? $", ... ({header.Length:N0} columns)" : "";
        return $"no column named '{TextExcerpt.Of(name)}'; the columns are: {listed}{more}";
    }
}
