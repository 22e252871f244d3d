namespace ScratchNet.Lessons;

public static class Lesson11InitialisationBatchNorm
{
    public static object Run(LessonContext ctx) => throw new NotImplementedException();
}
