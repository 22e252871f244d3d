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

    /// <summary>Waits for <paramref name="process"/> to end (at most <paramref name="seconds"/>) and returns its exit code and both outputs.</summary>
    public static (int Code, string Out, string Err) Finish(Process process, int seconds = 120)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(seconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scratchnet did not end within {seconds} s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs scratchnet to the end as a child process.</summary>
    public static (int Code, string Out, string Err) RunCli(params string[] args)
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
    /// with "scratchnet: " and contains every fragment, no stack trace, not an internal error.
    /// </summary>
    public static string AssertOneLine((int Code, string Out, string Err) result, int code, params string[] fragments)
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
        return lines[0];
    }

    /// <summary>In-process scratchnet, with the error rules checked.</summary>
    public static string Refused(int code, string[] args, params string[] fragments) => AssertOneLine(CliRunner.Run(args), code, fragments);

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
