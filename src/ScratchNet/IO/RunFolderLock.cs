using System.Globalization;
using System.Text;

namespace ScratchNet.IO;

/// <summary>
/// Makes an output folder one run's own while the run writes there, so that two runs given the same
/// folder cannot leave one's model beside the other's metrics. <see cref="Acquire"/> creates the
/// folder, checks that a file can be written in it, and creates DIR/.scratchnet.lock holding this
/// process's id (FileMode.CreateNew: of two runs starting at once, exactly one creates it). A lock
/// whose process is still running refuses the folder; one left by a process that is no longer running
/// (killed hard, or crashed) is taken over, with a note. Under the lock, the temporary files of
/// writers that are no longer running are deleted (<see cref="AtomicFile.DeleteAbandonedTemporaryFiles"/>).
/// </summary>
/// <remarks>
/// The lock file is deleted by <see cref="Dispose"/> (with the folder, when <see cref="Acquire"/>
/// created it and nothing was written to it), and at the latest when the process exits
/// normally. A process killed hard leaves it behind; the next run in the folder sees that its process
/// is gone and takes it over. Two jobs of one process are refused the same folder too. The lock is
/// advisory: it keeps out ScratchNet runs, not other programs, and a process id means nothing on
/// another machine, so a folder shared over a network between machines is not protected.
/// </remarks>
/// <example>
/// <code>
/// using var folder = RunFolderLock.Acquire("runs/mine");   // RunFolderException when another run holds it
/// foreach (var note in folder.Notes) Console.WriteLine(note);
/// </code>
/// </example>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the folder.</summary>
    public const string FileName = ".scratchnet.lock";

    private static readonly object s_gate = new();
    private static readonly Dictionary<string, RunFolderLock?> s_held = new(StringComparer.Ordinal); // full path -> holder (null while being acquired)
    private static long s_acquisitions;
    private static bool s_exitHook;

    private readonly string _key;
    private readonly string _file; // the lock file's full path (LockPath is as the folder was given)
    private readonly string _content;
    private readonly List<string> _notes = [];
    private bool _released;
    private bool _createdFolder;

    private RunFolderLock(string folder, string key, string content)
    {
        Folder = folder;
        _key = key;
        _content = content;
        LockPath = Path.Combine(folder, FileName);
        _file = Path.Combine(key, FileName);
    }

    /// <summary>The folder, as given to <see cref="Acquire"/>.</summary>
    public string Folder { get; }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <summary>What acquiring did that a user may want to know: a stale lock taken over, abandoned temporary files deleted.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>
    /// Creates <paramref name="dir"/> when missing, checks that it is writable, locks it for this
    /// process and deletes the temporary files that dead writers left in it.
    /// </summary>
    /// <exception cref="RunFolderException">
    /// The folder cannot be created or written, or another running process (or another job of this
    /// one) holds its lock; the one-line message names the folder, and the process that holds it.
    /// </exception>
    public static RunFolderLock Acquire(string dir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        string key = Key(dir);
        lock (s_gate)
        {
            if (s_held.ContainsKey(key))
                throw new RunFolderException(dir, $"the output folder is in use by another training job in this process (process {Environment.ProcessId})", Environment.ProcessId);
            s_held[key] = null;
        }
        try
        {
            bool created = !Directory.Exists(key);
            try
            {
                CreateWritable(dir, key);
            }
            catch
            {
                if (created) TryDeleteEmptyFolder(key);
                throw;
            }
            string content = string.Create(CultureInfo.InvariantCulture,
                $"{Environment.ProcessId}\n{ProcessLiveness.OwnStartMark ?? "-"}\n{Interlocked.Increment(ref s_acquisitions)}\n");
            var held = new RunFolderLock(dir, key, content) { _createdFolder = created };
            try
            {
                held.Take();
            }
            catch
            {
                held.RemoveFolderIfEmpty();
                throw;
            }
            held.CleanAbandoned();
            lock (s_gate)
            {
                s_held[key] = held;
                if (!s_exitHook)
                {
                    // A job that is never disposed still lets go of its folder when the process exits normally.
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseAll();
                    s_exitHook = true;
                }
            }
            return held;
        }
        catch
        {
            lock (s_gate) s_held.Remove(key);
            throw;
        }
    }

    /// <summary>Deletes the lock file (if it is still this lock's) and frees the folder. Idempotent.</summary>
    public void Dispose()
    {
        lock (s_gate)
        {
            if (_released) return;
            _released = true;
            if (s_held.TryGetValue(_key, out var holder) && ReferenceEquals(holder, this)) s_held.Remove(_key);
        }
        try
        {
            if (ReadText(_file) == _content) File.Delete(_file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        RemoveFolderIfEmpty();
    }

    /// <summary>A folder this lock created and nothing was written to (a run refused or failed before its first file) is removed again.</summary>
    private void RemoveFolderIfEmpty()
    {
        if (_createdFolder) TryDeleteEmptyFolder(_key);
    }

    private static void TryDeleteEmptyFolder(string path)
    {
        try { Directory.Delete(path, recursive: false); } // fails, as it should, when anything is in it
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Deletes the temporary files dead writers left in the folder, with a note; cleaning is a courtesy, so a folder that cannot be listed is left as it is.</summary>
    private void CleanAbandoned()
    {
        try
        {
            var (files, bytes) = AtomicFile.DeleteAbandonedTemporaryFiles(_key);
            if (files > 0)
                _notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"deleted {files} temporary file{(files == 1 ? "" : "s")} ({Size(bytes)}) that killed runs had left in {Folder}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Creates this lock's file, taking over a lock of a process that is no longer running.</summary>
    private void Take()
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            if (TryCreate()) return;
            string? text = ReadSettled(_file);
            if (text is null) continue; // deleted meanwhile: try again
            var owner = Owner.Parse(text);
            if (owner is { } o && IsHeld(o, text))
                throw new RunFolderException(Folder,
                    $"the output folder is in use by another run (process {o.Pid}; lock file {LockPath}): wait for that run to end, or write to another folder", o.Pid);
            if (SetAside(text))
                _notes.Add(owner is { } dead
                    ? $"took over {LockPath}: the run that held it (process {dead.Pid}) is no longer running"
                    : $"took over {LockPath}, which named no process");
        }
        throw new RunFolderException(Folder, $"could not take the output folder's lock {LockPath}: other runs keep taking it");
    }

    private bool TryCreate()
    {
        try
        {
            using var stream = new FileStream(_file, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(Encoding.ASCII.GetBytes(_content));
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(_file))
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFolderException(Folder, $"cannot create the lock file {LockPath} ({Trim(e.Message)})", inner: e);
        }
    }

    /// <summary>
    /// Moves a stale lock (with content <paramref name="stale"/>) out of the way. The rename is the
    /// arbiter when two runs find the same stale lock: one moves it; the other finds no file, or,
    /// having moved the winner's fresh lock, puts it back.
    /// </summary>
    private bool SetAside(string stale)
    {
        string aside = AtomicFile.TempPathFor(_file);
        try { File.Move(_file, aside); }
        catch (FileNotFoundException) { return false; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunFolderException(Folder, $"cannot remove the stale lock file {LockPath} ({Trim(e.Message)})", inner: e);
        }
        string? moved = ReadText(aside);
        if (moved == stale)
        {
            TryDelete(aside);
            return true;
        }
        try { File.Move(aside, _file); }
        catch (IOException) { TryDelete(aside); }
        return false;
    }

    /// <summary>Whether the lock described by <paramref name="text"/> belongs to a live holder.</summary>
    private static bool IsHeld(Owner owner, string text)
    {
        if (owner.Pid != Environment.ProcessId)
            return ProcessLiveness.IsRunning(owner.Pid, owner.StartMark);
        // This process's id: held if one of this process's locks wrote it (the same folder by another
        // path); otherwise an earlier process that had the same id (a restarted container) left it.
        lock (s_gate) return s_held.Values.Any(h => h is not null && !h._released && h._content == text);
    }

    private static void CreateWritable(string dir, string key)
    {
        try { Directory.CreateDirectory(key); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            string why = e is UnauthorizedAccessException ? "permission denied" : Trim(e.Message);
            throw new RunFolderException(dir, $"cannot create the output folder ({why})", inner: e);
        }
        string probe = AtomicFile.TempPathFor(Path.Combine(key, "scratchnet-write-check"));
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                stream.WriteByte(1);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            string why = e is UnauthorizedAccessException ? "permission denied" : Trim(e.Message);
            throw new RunFolderException(dir, $"the output folder is not writable ({why})", inner: e);
        }
    }

    /// <summary>The lock file's text, waiting briefly while it is empty (its creator has not written it yet); null when there is no file.</summary>
    private static string? ReadSettled(string path)
    {
        string? text = null;
        for (int i = 0; i < 20; i++)
        {
            text = ReadText(path);
            if (text is null || text.Length > 0) return text;
            Thread.Sleep(25);
        }
        return text;
    }

    private static string? ReadText(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // A lock file is a few bytes; reading at most 256 keeps a hostile one from costing anything.
            var buffer = new byte[256];
            int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    private static void ReleaseAll()
    {
        List<RunFolderLock> held;
        lock (s_gate) held = s_held.Values.OfType<RunFolderLock>().ToList();
        foreach (var h in held) h.Dispose();
    }

    private static string Key(string dir)
    {
        string full = Path.GetFullPath(dir);
        string trimmed = Path.TrimEndingDirectorySeparator(full);
        return trimmed.Length == 0 ? full : trimmed;
    }

    private static string Size(long bytes) =>
        bytes >= 1 << 20 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):F1} MiB")
        : bytes >= 1 << 10 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    private static string Trim(string message) => message.Trim().TrimEnd('.');

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The process a lock file names: its id and start mark (null when the platform gave none).</summary>
    private readonly record struct Owner(int Pid, string? StartMark)
    {
        public static Owner? Parse(string text)
        {
            var lines = text.Split('\n');
            if (lines.Length < 2 || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0) return null;
            string start = lines[1].Trim();
            return new Owner(pid, start is "" or "-" ? null : start);
        }
    }
}
