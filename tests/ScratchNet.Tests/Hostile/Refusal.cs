using ScratchNet.Serialization;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Runs a hostile input through scratchnet (in-process) or a library entry point and checks the
/// project's rules for bad input: the expected exit code, one line on stderr that says what is wrong
/// (and names the file), no stack trace, and the bytes the calling thread allocated, which the test
/// bounds.
/// </summary>
internal static class Refusal
{
    /// <summary>What a refused command printed and allocated.</summary>
    public sealed record Outcome(int Code, string Line, long Allocated);

    /// <summary>Runs scratchnet with <paramref name="args"/> and checks the exit code, the single line and its content, and the allocation bound.</summary>
    public static Outcome Cli(int expectedCode, string expectedText, long maxAllocatedBytes, params string[] args)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (code, output, error) = CliRunner.Run(args);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        string[] lines = error.TrimEnd().Split('\n');
        Assert.True(code == expectedCode, $"scratchnet {Shown(args)} exited {code}, expected {expectedCode}: {error}");
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr: {error}");
        Assert.StartsWith("scratchnet: ", lines[0]);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("internal error", error);
        Assert.Contains(expectedText, lines[0]);
        Assert.Equal("", output);
        Assert.True(allocated <= maxAllocatedBytes, $"scratchnet {Shown(args)} allocated {allocated:N0} bytes, over the bound of {maxAllocatedBytes:N0}");
        return new Outcome(code, lines[0], allocated);
    }

    /// <summary>Runs <paramref name="load"/>, which must throw <typeparamref name="TException"/> with a one-line message containing <paramref name="expectedText"/> within the allocation bound.</summary>
    public static TException Library<TException>(string expectedText, long maxAllocatedBytes, Action load) where TException : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<TException>(load);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(expectedText, e.Message);
        Assert.True(allocated <= maxAllocatedBytes, $"allocated {allocated:N0} bytes, over the bound of {maxAllocatedBytes:N0}: {e.Message}");
        return e;
    }

    /// <summary>
    /// Writes a model file with no tensors whose architecture is <paramref name="architecture"/> (JSON),
    /// as a hostile file would: a few hundred bytes that describe anything.
    /// </summary>
    public static string ModelFile(TempFolder dir, string architecture, IReadOnlyDictionary<string, string>? metadata = null, string name = "hostile.safetensors")
    {
        string path = dir.File(name);
        var meta = new Dictionary<string, string> { ["format"] = "scratchnet", ["format_version"] = "1", ["architecture"] = architecture };
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>()) meta[k] = v;
        SafeTensorsFile.Write(path, [], meta);
        return path;
    }

    /// <summary>Asserts that <paramref name="dir"/> holds exactly the files named (nothing left behind).</summary>
    public static void OnlyFiles(TempFolder dir, params string[] names) => Assert.Equal(names.Order(), dir.Files());

    private static string Shown(string[] args) => TextExcerpt.Of(string.Join(' ', args), 200);
}
