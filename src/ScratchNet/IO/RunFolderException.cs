namespace ScratchNet.IO;

/// <summary>
/// An output folder cannot be used: it cannot be created or written, or another run holds it. The
/// message is one line that names the folder (and the process that holds it).
/// </summary>
public sealed class RunFolderException : IOException
{
    /// <summary>A problem with <paramref name="folder"/>; <paramref name="ownerProcessId"/> is the process holding it, if that is the problem.</summary>
    public RunFolderException(string folder, string problem, int? ownerProcessId = null, Exception? inner = null)
        : base($"{folder}: {problem}", inner)
    {
        Folder = folder;
        OwnerProcessId = ownerProcessId;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The process that holds the folder's lock, when that is why it cannot be used.</summary>
    public int? OwnerProcessId { get; }
}
