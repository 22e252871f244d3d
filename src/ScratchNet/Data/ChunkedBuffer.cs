namespace ScratchNet.Data;

/// <summary>
/// Rows of <c>width</c> values appended one at a time into fixed-size chunks: unlike a doubling list,
/// growing never copies and never holds more than one partly used chunk, so a table read from a file
/// costs its values and little more.
/// </summary>
internal sealed class ChunkedBuffer<T>(int width) where T : unmanaged
{
    private const int ChunkElements = 1 << 16;
    private readonly int _rowsPerChunk = Math.Max(1, ChunkElements / Math.Max(1, width));
    private readonly List<T[]> _chunks = [];

    /// <summary>Values per row.</summary>
    public int Width { get; } = width;

    /// <summary>Rows appended.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a row and returns it to be filled.</summary>
    public Span<T> AddRow()
    {
        int inChunk = Count % _rowsPerChunk;
        if (inChunk == 0) _chunks.Add(new T[(long)_rowsPerChunk * Width]);
        Count++;
        return _chunks[^1].AsSpan(inChunk * Width, Width);
    }

    /// <summary>Appends a row of one value.</summary>
    public void Add(T value) => AddRow()[0] = value;

    /// <summary>Row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> Row(int row) => _chunks[row / _rowsPerChunk].AsSpan(row % _rowsPerChunk * Width, Width);

    /// <summary>Row <paramref name="row"/> of a one-value-per-row buffer.</summary>
    public T this[int row] => Row(row)[0];
}
