namespace ScratchNet.Data;

/// <summary>
/// CSV rows one at a time, whether streamed from a file (<see cref="CsvRecordReader"/>) or held in a
/// <see cref="CsvTable"/> (<see cref="CsvTableRows"/>), so that <see cref="TableData"/> has one way to read them.
/// </summary>
internal interface ICsvRows
{
    /// <summary>The file (for error messages).</summary>
    string Source { get; }

    /// <summary>The column names.</summary>
    string[] Header { get; }

    /// <summary>The line on which the current row starts.</summary>
    int Line { get; }

    /// <summary>Moves to the next row; false after the last.</summary>
    bool Next();

    /// <summary>A cell of the current row.</summary>
    ReadOnlySpan<char> Field(int column);

    /// <summary>The index of a column by name (exact, then case-insensitive), or a <see cref="DataFormatException"/>.</summary>
    int ColumnIndex(string name);
}
