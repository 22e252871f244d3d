namespace ScratchNet.Data;

/// <summary>Every mirror failed for a file; the message lists each address with its problem, on one line.</summary>
internal sealed class DownloadFailedException(string message, Exception? inner) : Exception(message, inner);
