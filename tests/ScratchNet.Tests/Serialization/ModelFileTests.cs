using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Serialization;

public class ModelFileTests
{
    [Fact]
    public void SaveLoadGivesTheSameModelAndOutputs()
    {
        using var dir = new TempFolder();
        var model = TestModels.Mlp();
        var opt = new TestMomentum(0.1f);
        var x = TestModels.RandomInput(16, 5, 7);
        for (int i = 0; i < 3; i++) TestModels.Step(model, opt, x); // BatchNorm running stats move away from 0/1
        var standardizer = Standardizer.Fit(x, StandardizeMode.ZScore);
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, model, new ModelMetadata
        {
            Dataset = "toy", Task = "classification", ClassNames = ["a", "b", "c"], Standardizer = standardizer,
            Extra = { ["loss"] = "SoftmaxCrossEntropy", ["test_accuracy"] = "0.5" },
        });
        Assert.Equal(["m.safetensors"], dir.Files());

        var (loaded, meta) = ModelFile.Load(path);
        Assert.Equal(model.Layers.Select(l => l.Spec.ToString()), loaded.Layers.Select(l => l.Spec.ToString()));
        Assert.Equal([5], meta.InputShape);
        Assert.Equal(["a", "b", "c"], meta.ClassNames);
        Assert.Equal("toy", meta.Dataset);
        Assert.Equal("SoftmaxCrossEntropy", meta.Extra["loss"]);
        Assert.Equal(standardizer.Shift, meta.Standardizer!.Shift);
        Assert.Equal(standardizer.Scale, meta.Standardizer.Scale);
        foreach (var ((n1, t1), (n2, t2)) in ModelTensors.Collect(model).Zip(ModelTensors.Collect(loaded)))
        {
            Assert.Equal(n1, n2);
            Assert.Equal(TestModels.Bits(t1), TestModels.Bits(t2));
        }
        Assert.Contains(ModelTensors.Collect(model), t => t.Name == "layers.1.running_mean");
        Assert.Equal(TestModels.Bits(model.Forward(x).Clone()), TestModels.Bits(loaded.Forward(x)));
    }

    private static (string Path, TempFolder Dir) SavedFile()
    {
        var dir = new TempFolder();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, new Sequential(new Dense(4), new ReLU(), new Dense(2)).Build([3], 1));
        return (path, dir);
    }

    private static string LoadFails(string path)
    {
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Problem;
    }

    /// <summary>Rewrites a saved file's tensors/metadata through the generic writer.</summary>
    private static void Rewrite(string path, Func<List<SafeTensor>, List<SafeTensor>> tensors, Action<Dictionary<string, string>>? meta = null)
    {
        var c = SafeTensorsFile.Read(path);
        var m = new Dictionary<string, string>(c.Metadata);
        meta?.Invoke(m);
        SafeTensorsFile.Write(path, tensors(c.Tensors.ToList()), m);
    }

    [Fact]
    public void MissingTensor()
    {
        var (path, dir) = SavedFile();
        using (dir)
        {
            Rewrite(path, t => t.Where(x => x.Name != "layers.2.bias").ToList());
            Assert.Equal("tensor 'layers.2.bias' is missing (the architecture needs it with shape [2])", LoadFails(path));
        }
    }

    [Fact]
    public void WrongShape()
    {
        var (path, dir) = SavedFile();
        using (dir)
        {
            Rewrite(path, t => t.Select(x => x.Name == "layers.0.weight" ? SafeTensor.FromTensor(x.Name, new Tensor(4, 3)) : x).ToList());
            Assert.Equal("tensor 'layers.0.weight' has shape [4, 3] but the model expects [3, 4]", LoadFails(path));
        }
    }

    [Fact]
    public void UnexpectedTensor()
    {
        var (path, dir) = SavedFile();
        using (dir)
        {
            Rewrite(path, t => [.. t, SafeTensor.FromTensor("layers.9.weight", new Tensor(1))]);
            Assert.Equal("unexpected tensor 'layers.9.weight' (the architecture has no such parameter or buffer)", LoadFails(path));
        }
    }

    [Fact]
    public void NotAScratchNetModel()
    {
        using var dir = new TempFolder();
        string path = dir.File("w.safetensors");
        SafeTensorsFile.Write(path, [SafeTensor.FromTensor("weight", new Tensor(2))]);
        Assert.Equal("no 'architecture' in the __metadata__: not a ScratchNet model file (it has only weights)", LoadFails(path));
    }

    [Fact]
    public void UnknownLayerType()
    {
        var (path, dir) = SavedFile();
        using (dir)
        {
            Rewrite(path, t => t, m => m["architecture"] = m["architecture"].Replace("\"ReLU\"", "\"Swish9\""));
            Assert.StartsWith("layer 1 (Swish9) cannot be rebuilt: Unknown layer type 'Swish9'", LoadFails(path));
        }
    }

    [Fact]
    public void MalformedArchitecture()
    {
        var (path, dir) = SavedFile();
        using (dir)
        {
            Rewrite(path, t => t, m => m["architecture"] = "[1,2]");
            Assert.StartsWith("malformed metadata (", LoadFails(path));
        }
    }

    [Fact]
    public void WrongDtypeForAParameter()
    {
        var (path, dir) = SavedFile();
        using (dir)
        {
            Rewrite(path, t => t.Select(x => x.Name == "layers.2.bias" ? new SafeTensor(x.Name, "F64", [2], new byte[16]) : x).ToList());
            Assert.Equal("tensor 'layers.2.bias' is F64; ScratchNet parameters are F32", LoadFails(path));
        }
    }

    [Fact]
    public void SavingAnUnbuiltModelWritesNothing()
    {
        using var dir = new TempFolder();
        Assert.Throws<InvalidOperationException>(() => ModelFile.Save(dir.File("m.safetensors"), new Sequential(new Dense(2))));
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void ReservedMetadataKeysAreRefused()
    {
        using var dir = new TempFolder();
        var model = new Sequential(new Dense(2)).Build([2], 1);
        Assert.Throws<ArgumentException>(() => ModelFile.Save(dir.File("m.safetensors"), model, new ModelMetadata { Extra = { ["architecture"] = "x" } }));
        Assert.Empty(dir.Files());
    }
}

public class HostileArchitectureTests
{
    [Fact]
    public void AHugeDenseLayerIsRefusedBeforeAllocating()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, new Sequential(new Dense(2)).Build([3], 1));
        var c = SafeTensorsFile.Read(path);
        var m = new Dictionary<string, string>(c.Metadata) { ["architecture"] = c.Metadata["architecture"].Replace("\"units\":\"2\"", "\"units\":\"400000000\"") };
        SafeTensorsFile.Write(path, c.Tensors, m);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "allocated too much");
        Assert.Contains("the architecture needs at least 6,400,000,000 bytes of parameters by layer 0 (Dense(units=400000000", e.Message);
        Assert.Contains(") but the file has only ", e.Message);
    }

    [Fact]
    public void AHugeBatchNormIsRefusedBeforeAllocating()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, new Sequential(new BatchNorm(), new ReLU()).Build([3], 1));
        var c = SafeTensorsFile.Read(path);
        var m = new Dictionary<string, string>(c.Metadata) { ["architecture"] = c.Metadata["architecture"].Replace("\"input_shape\":[3]", "\"input_shape\":[1000000000]") };
        SafeTensorsFile.Write(path, c.Tensors, m);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains("the architecture needs at least 16,000,000,000 bytes of parameters by layer 0 (BatchNorm", e.Message);
    }

    [Fact]
    public void AnInputShapeTheLayersRefuse()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, new Sequential(new Dense(2)).Build([3], 1));
        var c = SafeTensorsFile.Read(path);
        var m = new Dictionary<string, string>(c.Metadata) { ["architecture"] = c.Metadata["architecture"].Replace("\"input_shape\":[3]", "\"input_shape\":[3,4]") };
        SafeTensorsFile.Write(path, c.Tensors, m);
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.DoesNotContain('\n', e.Message);
    }
}
