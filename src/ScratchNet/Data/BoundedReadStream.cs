namespace ScratchNet.Data;

/// <summary>
/// A read-only view of a stream (typically a decompressor) that refuses to give more than a cap: the
/// read that would pass it throws a <see cref="DataFormatException"/> naming the file, so a small file
/// that inflates without end costs at most the cap in time and nothing in memory.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes, string source, string what) : Stream
{
    private long _position;

    /// <summary>Bytes given so far.</summary>
    public long BytesRead => _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte beyond the cap at most, to tell "exactly the cap" from "more".
        long room = maxBytes - _position + 1;
        if (buffer.Length > room) buffer = buffer[..(int)room];
        int n = inner.Read(buffer);
        _position += n;
        if (_position > maxBytes)
            throw new DataFormatException(source, $"{what} is more than {maxBytes:N0} bytes (the limit; is it a decompression bomb?)");
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
