namespace ScratchNet.IO;

/// <summary>
/// Refuses, before it is opened, an input file that could block a reader forever. Opening a FIFO
/// waits for a writer, and a device may never end; .NET gives no portable way to ask a path's file
/// type, but every one of these reports a length of 0, and an empty file is no valid data or model
/// file either. So a zero-length input is refused up front with one line, instead of a wait that
/// only a signal could end.
/// </summary>
internal static class RegularFile
{
    /// <summary>What is wrong with reading <paramref name="path"/>, or null when it may be read (or does not exist: its reader reports that).</summary>
    public static string? Problem(string path)
    {
        FileInfo info;
        try { info = new FileInfo(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return null; }
        if (!info.Exists || info.Length > 0) return null;
        return "is empty, or not a regular file (a FIFO or a device, whose reading could block forever)";
    }
}
