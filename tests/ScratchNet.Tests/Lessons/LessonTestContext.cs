using ScratchNet.Lessons;

namespace ScratchNet.Tests.Lessons;

/// <summary>A lesson context for tests: the repository's data, a fresh temporary picture folder, text to a string.</summary>
internal static class LessonTestContext
{
    public static string DataFolder => ScratchNet.Tests.Data.TempFolder.RepoData;

    private static int _counter;

    public static LessonContext Create(bool drawPictures = false) =>
        new(Path.Combine(Path.GetTempPath(), "scratchnet-lesson-tests", $"{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}"), new StringWriter())
        { DrawPictures = drawPictures };
}
