namespace ScratchNet.Lessons;

public static class Lesson10Regularisation
{
    public static object Run(LessonContext ctx) => throw new NotImplementedException();
}
