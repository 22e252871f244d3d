using System.Runtime.CompilerServices;

namespace ScratchNet.Tests.Plotting;

/// <summary>
/// Compares text with a stored file Plotting/Snapshots/NAME (copied to the test output). With
/// UPDATE_SNAPSHOTS=1 the file in the source tree is (re)written instead, and the test passes.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            string sourceDir = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
            Directory.CreateDirectory(sourceDir);
            File.WriteAllText(Path.Combine(sourceDir, name), actual);
            return;
        }
        string stored = Path.Combine(AppContext.BaseDirectory, "Plotting", "Snapshots", name);
        Assert.True(File.Exists(stored), $"Snapshot {name} is missing; run the tests with UPDATE_SNAPSHOTS=1 to create it, then review and commit it.");
        string expected = File.ReadAllText(stored).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            int i = 0;
            while (i < Math.Min(expected.Length, actual.Length) && expected[i] == actual[i]) i++;
            string Around(string s) => s.Substring(Math.Max(0, i - 60), Math.Min(120, s.Length - Math.Max(0, i - 60)));
            Assert.Fail($"Snapshot {name} differs at character {i}.\nexpected: ...{Around(expected)}...\nactual:   ...{Around(actual)}...\n" +
                        "If the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff.");
        }
    }
}
