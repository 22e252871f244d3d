using ScratchNet.IO;
using ScratchNet.Serialization;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void ReplacesTheFileAndLeavesNoTemp()
    {
        using var dir = new TempFolder();
        string path = dir.File("sub/out.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Equal(["sub/out.txt"], dir.Files());
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileAndDeletesTheTemp()
    {
        using var dir = new TempFolder();
        string path = dir.File("out.bin");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.bin"], dir.Files());
    }

    [Fact]
    public void AFailedFirstWriteLeavesNothing()
    {
        using var dir = new TempFolder();
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(dir.File("new.csv"), w => { w.Write("a,b\n"); throw new InvalidOperationException("x"); }));
        Assert.Empty(dir.Files());
    }
}
