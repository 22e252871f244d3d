using System.Diagnostics;

namespace ScratchNet;

/// <summary>
/// The process's CPU time and peak working set, where the platform has them. A browser (WebAssembly)
/// has no process to ask: <see cref="Process.GetCurrentProcess"/> throws
/// <see cref="PlatformNotSupportedException"/> there, so these return null instead.
/// </summary>
internal static class ProcessStatistics
{
    /// <summary>True where <see cref="Process.GetCurrentProcess"/> works (not in a browser nor under WASI).</summary>
    public static bool IsSupported { get; } = !OperatingSystem.IsBrowser() && !OperatingSystem.IsWasi();

    /// <summary>The CPU time of all the process's threads so far, or null where the platform has no process statistics.</summary>
    public static TimeSpan? CpuTime()
    {
        if (!IsSupported) return null;
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>The largest working set the process has had, in bytes, or null where the platform has no process statistics.</summary>
    public static long? PeakWorkingSetBytes()
    {
        if (!IsSupported) return null;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
