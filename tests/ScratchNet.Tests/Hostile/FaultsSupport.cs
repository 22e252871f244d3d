using System.Diagnostics;
using ScratchNet.Tests.Cli;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Helpers for the fault tests: `scratchnet` as a real child process (for signals and for a second
/// process on one folder), the one-line error check, and the leftovers a folder must not keep.
/// </summary>
internal static class FaultsSupport
{
    /// <summary>The scratchnet program next to the tests, started as `dotnet ScratchNet.Cli.dll ARGS` with its output captured.</summary>
    public static Process StartCli(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "ScratchNet.Cli.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.Environment["CI"] = "1"; // plain progress lines
        return Process.Start(psi)!;
    }

    /// <summary>
    /// The most memory a scratchnet child process of these tests may take at its peak (resident set):
    /// 512 MiB. Most take 30 to 50 MiB (the runtime and a small run); the largest is stopped while it
    /// loads MNIST (55 MB of pixels, 190 MB as floats).
    /// </summary>
    public const long ChildPeakBound = 512L << 20;

    /// <summary>The most an in-process scratchnet command that is refused may allocate on the calling thread: 16 MiB (the refusals here take under 1 MiB).</summary>
    public const long RefusalAllocationBound = 16L << 20;

    /// <summary>
    /// Waits for <paramref name="process"/> to end (at most <paramref name="seconds"/>) and returns its
    /// exit code, both outputs and its peak resident set (VmHWM, read from /proc while it runs), which
    /// must be under <see cref="ChildPeakBound"/>.
    /// </summary>
    public static CliResult Finish(Process process, int seconds = 120)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        long peak = 0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakResidentBytes(process.Id));
            if (clock.Elapsed.TotalSeconds > seconds)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"scratchnet did not end within {seconds} s");
            }
        }
        process.WaitForExit();
        Assert.True(peak <= ChildPeakBound, $"scratchnet took {peak:N0} bytes at its peak, over the bound of {ChildPeakBound:N0}");
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result, peak);
    }

    /// <summary>The high-water mark of a process's resident set (VmHWM in /proc/PID/status), 0 once it has ended.</summary>
    private static long PeakResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    /// <summary>Runs scratchnet to the end as a child process.</summary>
    public static CliResult RunCli(params string[] args)
    {
        using var p = StartCli(args);
        return Finish(p);
    }

    /// <summary>Waits until <paramref name="path"/> exists (at most <paramref name="seconds"/>).</summary>
    public static void WaitForFile(string path, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed.TotalSeconds > seconds) Assert.Fail($"{path} did not appear within {seconds} s");
            Thread.Sleep(20);
        }
    }

    /// <summary>Sends SIGTERM to <paramref name="process"/>.</summary>
    public static void Terminate(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>
    /// Asserts the rules for an error: the expected exit code, exactly one line on stderr that starts
    /// with "scratchnet: " and contains every fragment, no stack trace, not an internal error, and the
    /// memory within its bound (checked by <see cref="Finish"/> for a child, here for an in-process run).
    /// </summary>
    public static string AssertOneLine(CliResult result, int code, params string[] fragments)
    {
        var (actual, _, err) = result;
        string[] lines = err.TrimEnd().Split('\n');
        Assert.True(actual == code, $"exit {actual}, expected {code}: {err}");
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {err}");
        Assert.StartsWith("scratchnet: ", lines[0]);
        Assert.DoesNotContain("internal error", lines[0]);
        Assert.DoesNotContain("   at ", lines[0]);
        Assert.DoesNotContain("(Parameter '", lines[0]);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
        if (result.InProcess)
            Assert.True(result.Memory <= RefusalAllocationBound, $"the refusal allocated {result.Memory:N0} bytes, over the bound of {RefusalAllocationBound:N0}: {lines[0]}");
        return lines[0];
    }

    /// <summary>In-process scratchnet, with the error rules checked (its allocation on this thread measured).</summary>
    public static string Refused(int code, string[] args, params string[] fragments)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (exit, output, error) = CliRunner.Run(args);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return AssertOneLine(new CliResult(exit, output, error, allocated) { InProcess = true }, code, fragments);
    }

    /// <summary>Files a run must never leave in its folder once it has ended: its lock, temporary files.</summary>
    public static string[] Leftovers(string dir) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => n!.StartsWith('.')).Select(n => n!).Order().ToArray()
            : [];

    /// <summary>The id of a process that has ended (a child started and waited for).</summary>
    public static int DeadProcessId()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}

/// <summary>What a scratchnet run gave: its exit code, both outputs, and the memory it took.</summary>
/// <param name="Memory">Bytes: a child process's peak resident set, or what an in-process run allocated on the calling thread.</param>
internal sealed record CliResult(int Code, string Out, string Err, long Memory)
{
    /// <summary>Whether the run was in-process (<see cref="Memory"/> is then its allocation).</summary>
    public bool InProcess { get; init; }

    /// <summary>The exit code and both outputs.</summary>
    public void Deconstruct(out int code, out string output, out string error) => (code, output, error) = (Code, Out, Err);
}
