namespace ScratchNet.Lessons;

public static class Lesson09Optimizers
{
    public static object Run(LessonContext ctx) => throw new NotImplementedException();
}
