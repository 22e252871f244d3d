using ScratchNet.Lessons;

namespace ScratchNet.Tests.Lessons;

public class LessonCatalogTests
{
    [Fact]
    public void LessonsNumberedInOrderWithTheirFilesAndPictures()
    {
        Assert.True(LessonCatalog.All.Count >= 17);
        string lessons = Path.Combine(Path.GetDirectoryName(LessonTestContext.DataFolder)!, "lessons");
        string readme = File.ReadAllText(Path.Combine(lessons, "README.md"));
        for (int i = 0; i < LessonCatalog.All.Count; i++)
        {
            var lesson = LessonCatalog.All[i];
            Assert.Equal(i + 1, lesson.Number);
            Assert.True(File.Exists(Path.Combine(lessons, lesson.SourceFile)), lesson.SourceFile);
            Assert.NotEmpty(lesson.Pictures);
            foreach (string picture in lesson.Pictures) Assert.Contains(picture, readme);
        }
    }

    [Fact]
    public void UnknownLessonNumberSaysWhichExist()
    {
        int count = LessonCatalog.All.Count;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LessonCatalog.Run(count + 1, LessonTestContext.Create()));
        Assert.Contains($"1 to {count}", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(12)]
    public void LessonsWriteTheirPictures(int number)
    {
        var ctx = LessonTestContext.Create(drawPictures: true);
        LessonCatalog.Run(number, ctx);
        foreach (string picture in LessonCatalog.Get(number).Pictures)
        {
            string path = Path.Combine(ctx.OutputFolder, picture);
            Assert.True(File.Exists(path), path);
            Assert.Contains("<svg", File.ReadAllText(path));
        }
        Assert.NotEmpty(ctx.Out.ToString()!);
        Directory.Delete(ctx.OutputFolder, recursive: true);
    }
}
