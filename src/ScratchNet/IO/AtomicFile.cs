using System.Text;

namespace ScratchNet.IO;

/// <summary>
/// Writes output files all-or-nothing: the content goes to a temporary file in the same folder, is
/// flushed to the disk, then renamed over the target. A reader sees the old file or the new one,
/// never half of one; after a failure (exception, crash, Ctrl+C) the target is untouched and the
/// temporary file is deleted (or, after a hard kill, left as a hidden ".tmp" file beside it, whose
/// name holds the writer's process id: <see cref="DeleteAbandonedTemporaryFiles"/> removes those of
/// writers that are no longer running).
/// </summary>
/// <remarks>
/// Every file the project writes (models, checkpoints, metrics, plots, reports) goes through here.
/// The rename is atomic because the temporary file is in the same folder (same file system).
/// </remarks>
public static class AtomicFile
{
    /// <summary>
    /// Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes to the
    /// stream. The folder is created when missing.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                // Flush(true) asks the OS to write through to the disk before the rename makes the file visible.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="text"/> in UTF-8 (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="lines"/>, each ended by '\n'.</summary>
    public static void WriteAllLines(string path, IEnumerable<string> lines) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var line in lines) writer.WriteLine(line);
        });

    /// <summary>
    /// Creates or replaces <paramref name="path"/> through a text writer (UTF-8, '\n' line ends):
    /// for CSV and SVG writers that produce text piece by piece.
    /// </summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });

    /// <summary>
    /// Deletes, in <paramref name="dir"/> (not its subfolders), the temporary files left by writers
    /// that are no longer running: a process killed hard (SIGKILL, a second Ctrl+C, a crash) during a
    /// write leaves its temporary file behind, and nothing else would ever remove it. Files of running
    /// processes, this one included, are kept: they may be being written.
    /// </summary>
    /// <returns>How many files were deleted, and their size in bytes.</returns>
    public static (int Files, long Bytes) DeleteAbandonedTemporaryFiles(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        int files = 0;
        long bytes = 0;
        if (!Directory.Exists(dir)) return (0, 0);
        foreach (var file in new DirectoryInfo(dir).EnumerateFiles(".*" + TempSuffix))
        {
            if (WriterOf(file.Name) is not int pid || pid == Environment.ProcessId || ProcessLiveness.IsRunning(pid)) continue;
            long length = file.Length;
            if (TryDelete(file.FullName))
            {
                files++;
                bytes += length;
            }
        }
        return (files, bytes);
    }

    /// <summary>
    /// A temporary name in the same folder: ".{name}.scratchnet-{pid}-{counter}.tmp", hidden, unique
    /// per process and call (no Guid or System.Random: file names stay deterministic per run), and
    /// recognisable with its writer's process id so that a later run can tell an abandoned one.
    /// </summary>
    internal static string TempPathFor(string fullPath)
    {
        string dir = Path.GetDirectoryName(fullPath) ?? ".";
        string name = Path.GetFileName(fullPath);
        long n = Interlocked.Increment(ref s_counter);
        return Path.Combine(dir, $".{name}{TempMarker}{Environment.ProcessId}-{n}{TempSuffix}");
    }

    /// <summary>The process id in a name made by <see cref="TempPathFor"/>, or null for any other name.</summary>
    internal static int? WriterOf(string fileName)
    {
        if (!fileName.StartsWith('.') || !fileName.EndsWith(TempSuffix, StringComparison.Ordinal)) return null;
        int marker = fileName.LastIndexOf(TempMarker, StringComparison.Ordinal);
        if (marker < 1) return null;
        var tail = fileName.AsSpan(marker + TempMarker.Length, fileName.Length - marker - TempMarker.Length - TempSuffix.Length);
        int dash = tail.IndexOf('-');
        if (dash < 1 || !long.TryParse(tail[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)) return null;
        return int.TryParse(tail[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }

    private const string TempMarker = ".scratchnet-", TempSuffix = ".tmp";

    private static long s_counter;

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
