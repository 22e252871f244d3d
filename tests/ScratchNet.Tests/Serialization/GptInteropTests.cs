using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using ScratchNet.Training.Presets;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// Our transformer's model file in PyTorch: a small shakespeare-gpt (2 blocks of 2 heads, embedding 16)
/// is saved untrained and after 30 steps, with its logits for 8 validation blocks (.npy);
/// bench/gpt_from_safetensors.py loads each file into bench/pytorch_gpt.py's module and compares the
/// logits, and the twin started from the untrained file (--init-from) measures the same validation loss
/// as ours. The PyTorch side is skipped, with the reason, when Debian's python3-torch is not installed.
/// </summary>
[Trait("Category", "Interop")]
public class GptInteropTests(GptInteropTests.SmallGpt gpt, ITestOutputHelper output) : IClassFixture<GptInteropTests.SmallGpt>
{
    [Fact]
    public void OurSideReloadsItsFilesToTheSameLogits()
    {
        foreach (var (path, logits) in new[] { (gpt.InitialPath, gpt.InitialLogits), (gpt.TrainedPath, gpt.TrainedLogits) })
        {
            var (model, metadata) = ModelFile.Load(path);
            Assert.Equal(65, metadata.Vocabulary!.Count);
            Assert.Equal(TestModels.Bits(logits), TestModels.Bits(model.Forward(gpt.Ids, training: false)));
        }
        Assert.NotEqual(TestModels.Bits(gpt.InitialLogits), TestModels.Bits(gpt.TrainedLogits));
    }

    [TorchFact]
    public void PyTorchReproducesTheLogitsOfTheTrainedAndTheUntrainedFile()
    {
        foreach (var (model, logits) in new[] { (gpt.InitialPath, gpt.InitialLogitsPath), (gpt.TrainedPath, gpt.TrainedLogitsPath) })
        {
            var (code, stdout, stderr) = TorchFactAttribute.RunBenchScript("gpt_from_safetensors.py", ["--model", model, "--ids", gpt.IdsPath, "--logits", logits]);
            output.WriteLine(stdout + stderr);
            Assert.True(code == 0, $"gpt_from_safetensors.py failed ({code}): {stdout} {stderr}");
            using var result = JsonDocument.Parse(stdout);
            Assert.InRange(result.RootElement.GetProperty("max_abs_diff").GetDouble(), 0, 1e-4);
            Assert.Equal(8, result.RootElement.GetProperty("sequences").GetInt32());
        }
    }

    /// <summary>The twin started from our untrained file, before its first step, sees the validation loss we see.</summary>
    [TorchFact]
    public void TheTwinStartsFromOurInitialisation()
    {
        var (code, stdout, stderr) = TorchFactAttribute.RunBenchScript("pytorch_gpt.py",
            ["--init-from", gpt.InitialPath, "--text", gpt.TextPath, "--iterations", "0", "--layers", "2", "--heads", "2", "--embedding", "16", "--samples", "0", "--threads", "2"]);
        output.WriteLine(stderr);
        Assert.True(code == 0, $"pytorch_gpt.py failed ({code}): {stdout} {stderr}");
        using var result = JsonDocument.Parse(stdout);
        double theirs = result.RootElement.GetProperty("final_validation_loss").GetDouble();
        output.WriteLine($"validation loss of the untrained model: ours {gpt.InitialValidationLoss:F6}, the twin's {theirs:F6}");
        Assert.Equal(gpt.InitialValidationLoss, theirs, 1e-4);
    }

    /// <summary>The files, logits and ids the tests compare; built once.</summary>
    public sealed class SmallGpt : IDisposable
    {
        private readonly TempFolder _temp = new();

        public SmallGpt()
        {
            var recipe = PresetCatalog.ShakespeareGpt with
            {
                Model = new LanguageModelRecipe { Kind = "transformer", Embedding = 16, Layers = 2, Heads = 2 },
                Epochs = 1,
                StepsPerEpoch = 30,
            };
            using var job = TrainingJob.Create(recipe, new TrainingJobOptions { Threads = 2 });
            var metadata = new ModelMetadata { Dataset = "tiny-shakespeare", Vocabulary = job.Data.Vocabulary };
            var test = job.Data.Test;
            (Ids, _) = test.Take(8);
            InitialPath = _temp.File("initial.safetensors");
            ModelFile.Save(InitialPath, job.Model, metadata);
            InitialLogits = job.Model.Forward(Ids, training: false).Clone();
            InitialValidationLoss = Evaluation.Evaluate(job.Model, test, new SoftmaxCrossEntropy()).Loss;
            job.Run();
            TrainedPath = _temp.File("trained.safetensors");
            ModelFile.Save(TrainedPath, job.Model, metadata);
            TrainedLogits = job.Model.Forward(Ids, training: false).Clone();

            IdsPath = _temp.File("ids.npy");
            InitialLogitsPath = _temp.File("initial-logits.npy");
            TrainedLogitsPath = _temp.File("trained-logits.npy");
            NpyFile.Write(IdsPath, Ids);
            NpyFile.Write(InitialLogitsPath, InitialLogits);
            NpyFile.Write(TrainedLogitsPath, TrainedLogits);
            TextPath = _temp.File("tinyshakespeare.txt");
            File.WriteAllText(TextPath, new DatasetManager().ReadText("tiny-shakespeare"));
        }

        public Tensor Ids { get; }
        public Tensor InitialLogits { get; }
        public Tensor TrainedLogits { get; }
        public double InitialValidationLoss { get; }
        public string InitialPath { get; }
        public string TrainedPath { get; }
        public string IdsPath { get; }
        public string InitialLogitsPath { get; }
        public string TrainedLogitsPath { get; }
        public string TextPath { get; }

        public void Dispose() => _temp.Dispose();
    }
}
