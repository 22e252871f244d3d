namespace ScratchNet.Data;

/// <summary>The result of checking one file's SHA-256.</summary>
/// <param name="Path">The file checked.</param>
/// <param name="Expected">The catalog's SHA-256 of the decompressed bytes.</param>
/// <param name="Actual">The SHA-256 computed.</param>
public sealed record FileVerification(string Path, string Expected, string Actual)
{
    /// <summary>Whether the hashes agree.</summary>
    public bool Ok => string.Equals(Expected, Actual, StringComparison.OrdinalIgnoreCase);
}
