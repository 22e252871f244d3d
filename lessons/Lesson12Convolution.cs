namespace ScratchNet.Lessons;

public static class Lesson12Convolution
{
    public static object Run(LessonContext ctx) => throw new NotImplementedException();
}
