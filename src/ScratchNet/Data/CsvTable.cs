namespace ScratchNet.Data;

/// <summary>A CSV file as text cells: the header and the data rows, each with its line number.</summary>
/// <param name="Path">The file (for error messages).</param>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Data rows; each has exactly Header.Length cells.</param>
/// <param name="LineNumbers">The 1-based line on which each row starts.</param>
public sealed record CsvTable(string Path, string[] Header, IReadOnlyList<string[]> Rows, IReadOnlyList<int> LineNumbers)
{
    /// <summary>The index of column <paramref name="name"/> (exact, then case-insensitive).</summary>
    /// <exception cref="DataFormatException">No such column; the message lists the columns.</exception>
    public int ColumnIndex(string name)
    {
        int i = Array.IndexOf(Header, name);
        if (i < 0) i = Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        if (i < 0) throw new DataFormatException(Path, $"no column named '{name}'; the columns are: {string.Join(", ", Header.Select(h => $"'{h}'"))}");
        return i;
    }

    /// <summary>"file, line 5, column 2 ('TV')": where a cell is, for error messages.</summary>
    public string Where(int row, int column) => $"line {LineNumbers[row]}, column {column + 1} ('{Header[column]}')";
}
