using System.Diagnostics;
using System.Globalization;

namespace ScratchNet.IO;

/// <summary>
/// Whether the process that wrote a lock or a temporary file is still running. A process id alone can
/// be reused by a later, unrelated process, so where Linux's /proc gives it, a process's start time
/// (in clock ticks since boot, which no clock adjustment moves) tells the two apart.
/// </summary>
internal static class ProcessLiveness
{
    private static readonly Lazy<string?> s_ownStart = new(() => StartMark(Environment.ProcessId));

    /// <summary>This process's start mark (null where the platform gives none).</summary>
    public static string? OwnStartMark => s_ownStart.Value;

    /// <summary>
    /// Whether process <paramref name="pid"/> is running and, when <paramref name="startMark"/> is given
    /// and the platform can tell, is the process that started then (not a later one with the same id).
    /// A zombie (exited, not yet reaped) is not running.
    /// </summary>
    public static bool IsRunning(int pid, string? startMark = null)
    {
        if (pid <= 0) return false;
        if (StatFields(pid) is { } fields)
        {
            if (fields.Length < 20 || fields[0] is "Z" or "X" or "x") return false;
            return startMark is null || fields[19] == startMark;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or NotSupportedException or UnauthorizedAccessException)
        {
            // The process exists but cannot be inspected: it is running.
            return true;
        }
    }

    /// <summary>Process <paramref name="pid"/>'s start time in clock ticks since boot (Linux), or null.</summary>
    public static string? StartMark(int pid) => StatFields(pid) is { Length: >= 20 } fields ? fields[19] : null;

    /// <summary>
    /// The fields of /proc/PID/stat after the command name (state first), or null where there is no
    /// such file. The name is in parentheses and may itself hold spaces and parentheses, so the fields
    /// start after the last ')'.
    /// </summary>
    private static string[]? StatFields(int pid)
    {
        string text;
        try { text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException) { return null; }
        int close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
