using ScratchNet.Data;

namespace ScratchNet.Tests.Data;

public class SyntheticDataTests
{
    [Theory]
    [InlineData("xor", 2)]
    [InlineData("circles", 2)]
    [InlineData("moons", 2)]
    [InlineData("spirals", 3)]
    [InlineData("gaussians", 3)]
    public void SameSeedSameBitsBalancedClasses(string name, int classes)
    {
        var m = new DatasetManager();
        var a = m.Load(name, new DatasetLoadOptions { Seed = 42 });
        var b = m.Load(name, new DatasetLoadOptions { Seed = 42 });
        var c = m.Load(name, new DatasetLoadOptions { Seed = 43 });
        var fa = ((InMemoryDataset)a.Train).Features.ToArray();
        Assert.Equal(fa, ((InMemoryDataset)b.Train).Features.ToArray());
        Assert.NotEqual(fa, ((InMemoryDataset)c.Train).Features.ToArray());
        Assert.Equal(1000, a.Train.Count);
        Assert.Equal(250, a.Test.Count);
        Assert.Equal([2], a.Train.SampleShape);
        Assert.Equal(classes, a.Train.ClassCount);
        Assert.All(fa, v => Assert.True(float.IsFinite(v)));
        var labels = ((InMemoryDataset)a.Train).Targets.ToArray();
        for (int k = 0; k < classes; k++) Assert.InRange(labels.Count(l => l == k), 1000 / classes / 2, 1000);
    }

    [Fact]
    public void ClassesOptionAppliesToSpirals()
    {
        var d = new DatasetManager().Load("spirals", new DatasetLoadOptions { Classes = 5, Count = 50 });
        Assert.Equal(5, d.Train.ClassCount);
        Assert.Equal(50, d.Train.Count);
    }

    [Fact]
    public void ClassesOptionRefusedForMoons()
    {
        var e = Assert.Throws<DataFormatException>(() => new DatasetManager().Load("moons", new DatasetLoadOptions { Classes = 3 }));
        Assert.Equal("moons: has 2 classes (3 requested); only spirals and gaussians take --classes", e.Message);
    }
}
