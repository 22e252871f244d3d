namespace ScratchNet.Data;

/// <summary>How far the download of one dataset file has come (for a progress display).</summary>
/// <param name="Dataset">The dataset's name ("fashion-mnist").</param>
/// <param name="Url">The address being downloaded.</param>
/// <param name="BytesReceived">Bytes on disk so far, a resumed part included.</param>
/// <param name="TotalBytes">The file's size when the server says it, else null.</param>
public sealed record DownloadProgress(string Dataset, string Url, long BytesReceived, long? TotalBytes)
{
    /// <summary>BytesReceived / TotalBytes in [0, 1], or null when the size is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 and long total ? Math.Min(1.0, (double)BytesReceived / total) : null;
}
