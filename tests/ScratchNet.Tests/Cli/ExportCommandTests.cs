using ScratchNet.Models;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Serialization;

namespace ScratchNet.Tests.Cli;

/// <summary>`scratchnet export --format onnx`: run folders, model files, checkpoints, and every kind of bad input (one line, exit 1 or 2, nothing written).</summary>
[Trait("Category", "Onnx")]
public class ExportCommandTests
{
    [Fact]
    public void ExportsARunFolderBesideItsModel()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--no-plots", "--out", dir.Path);
        string said = CliRunner.Ok("export", "--model", dir.Path, "--format", "onnx");
        Assert.Contains($"wrote {dir.File("model.onnx")}", said);
        Assert.Contains("input:  'input', float32 (batch, 2)", said);
        var (model, _) = ModelFile.Load(dir.File("model.safetensors"));
        AssertSameOutputs(model, dir.File("model.onnx"));
    }

    [Fact]
    public void ExportsWhatACheckpointWithModelMetadataHolds()
    {
        using var dir = new TempFolder();
        var model = TestModels.Mlp();
        Checkpoint.Save(dir.Path, CheckpointState.Capture(model, null, null, 1, metadata: new ModelMetadata { Dataset = "moons", Task = "classification" }));
        CliRunner.Ok("export", "--model", dir.File("checkpoint.safetensors"), "--format", "onnx", "--out", dir.File("c.onnx"));
        AssertSameOutputs(model, dir.File("c.onnx"));
    }

    [Fact]
    public void RefusesACheckpointThatDoesNotSayHowItsInputsArePrepared()
    {
        using var dir = new TempFolder();
        Checkpoint.Save(dir.Path, CheckpointState.Capture(TestModels.Mlp(), null, null, 1));
        string err = Fails(2, dir, "export", "--model", dir.File("checkpoint.safetensors"), "--format", "onnx");
        Assert.Contains("training checkpoint without model metadata", err);
    }

    [Fact]
    public void RefusesAFileThatIsNotAModel()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("notes.safetensors"), "not a model at all\n");
        Assert.Contains(dir.File("notes.safetensors"), Fails(2, dir, "export", "--model", dir.File("notes.safetensors"), "--format", "onnx"));
        Assert.Contains("not found", Fails(2, dir, "export", "--model", dir.File("missing.safetensors"), "--format", "onnx"));
    }

    [Fact]
    public void RefusesAnOutputItCannotWrite()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--no-plots", "--out", dir.Path);
        string model = dir.File("model.safetensors");
        File.WriteAllText(dir.File("a-file"), "x");
        Assert.Contains("cannot write", Fails(2, dir, "export", "--model", model, "--format", "onnx", "--out", dir.File("a-file/model.onnx")));
        Directory.CreateDirectory(dir.File("a-folder"));
        Assert.Contains("is a folder", Fails(1, dir, "export", "--model", model, "--format", "onnx", "--out", dir.File("a-folder")));
        Assert.Contains("is the model file itself", Fails(1, dir, "export", "--model", model, "--format", "onnx", "--out", model));
    }

    [Fact]
    public void RefusesAnUnknownOrMissingFormat()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--no-plots", "--out", dir.Path);
        Assert.Contains("unknown format 'tflite'; valid: onnx", Fails(1, dir, "export", "--model", dir.Path, "--format", "tflite"));
        Assert.Contains("--format", Fails(1, dir, "export", "--model", dir.Path));
    }

    /// <summary>Runs scratchnet expecting exit <paramref name="code"/>, one line on stderr, nothing on stdout, and no new file in <paramref name="dir"/>.</summary>
    private static string Fails(int code, TempFolder dir, params string[] args)
    {
        var before = dir.Files();
        var (exit, output, error) = CliRunner.Run(args);
        Assert.True(exit == code, $"scratchnet {string.Join(' ', args)} exited {exit}, not {code}: {error}{output}");
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(before, dir.Files());
        return error;
    }

    private static void AssertSameOutputs(Sequential model, string onnxFile)
    {
        var rng = new Rng(5);
        var x = new Tensor([7, .. model.InputShape]);
        foreach (ref float v in x.Span) v = rng.NextUniform(-1f, 1f);
        using var onnx = new OnnxRuntimeRunner(File.ReadAllBytes(onnxFile));
        Assert.InRange(OnnxRuntimeRunner.MaxAbsDiff(onnx.Run(x), model.Forward(x, training: false)), 0, 1e-5);
    }
}
