namespace ScratchNet.Lessons;

/// <summary>One lesson in the catalog: its number, title, what it teaches, the pictures it draws, and how to run it.</summary>
/// <param name="Number">1-based position in the learning path.</param>
/// <param name="Title">Short title.</param>
/// <param name="Teaches">One sentence: what the learner takes away.</param>
/// <param name="Pictures">File names written to <see cref="LessonContext.OutputFolder"/>.</param>
/// <param name="SourceFile">The lesson's source file, relative to the lessons folder.</param>
/// <param name="Runner">Runs the lesson and returns its result record.</param>
public sealed record LessonInfo(int Number, string Title, string Teaches, IReadOnlyList<string> Pictures, string SourceFile, Func<LessonContext, object> Runner);
