using System.Diagnostics;

namespace ScratchNet.Tests.Serialization;

/// <summary>A fact skipped, with the reason, when /usr/bin/python3 cannot import Debian's torch.</summary>
internal sealed class TorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3", OpenBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is missing";
        var psi = new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["LD_LIBRARY_PATH"] = OpenBlas;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(); return $"{Python} -c 'import torch' did not finish in 2 minutes"; }
        return p.ExitCode == 0 ? null : $"{Python} cannot import torch ({stderr.GetAwaiter().GetResult().Trim().Split('\n')[^1]})";
    });

    /// <summary>Runs a script of bench/ with Debian's python3 and the OpenMP OpenBLAS; returns its exit code and output.</summary>
    public static (int Code, string Stdout, string Stderr) RunBenchScript(string script, IEnumerable<string> arguments)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Data.TempFolder.RepoData)!, "bench", script);
        var psi = new ProcessStartInfo(Python, [path, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["LD_LIBRARY_PATH"] = OpenBlas;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    public TorchFactAttribute()
    {
        if (Missing.Value is { } why)
            Skip = $"{why}: install Debian's python3-torch (apt-get install -y python3-torch) to run the PyTorch side.";
    }
}
