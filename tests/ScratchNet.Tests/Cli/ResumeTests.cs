using ScratchNet.Serialization;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Cli;

/// <summary>An interrupted `scratchnet train` (the Ctrl+C path) exits 130 with a checkpoint; --resume then ends with the bits of a run that never stopped.</summary>
public class CliResumeTests
{
    private static int[] Bits(string dir)
    {
        var (model, _) = ModelFile.Load(Path.Combine(dir, "model.safetensors"));
        return ModelTensors.Collect(model).SelectMany(t => t.Value.Span.ToArray().Select(BitConverter.SingleToInt32Bits)).ToArray();
    }

    [Fact]
    public void InterruptedThenResumedMatchesAStraightRun()
    {
        string[] run = ["train", "spirals", "--samples", "256", "--epochs", "4", "--dropout", "0.1", "--schedule", "cosine", "--no-plots"];
        using var straight = new TempFolder();
        using var stopped = new TempFolder();
        CliRunner.Ok([.. run, "--out", straight.Path]);

        // 256 samples in batches of 32: 8 batches per epoch; stop inside epoch 3.
        var (code, _, err) = CliRunner.Run([.. run, "--out", stopped.Path, "--stop-after-batches", "20"]);
        Assert.Equal(130, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains($"stopped by --stop-after-batches during epoch 3 after batch 4 of 8: checkpoint saved in {stopped.Path}; continue with 'scratchnet train --resume {stopped.Path}'", err);
        var checkpoint = Checkpoint.Load(stopped.Path);
        Assert.Equal(2, checkpoint.Epoch);
        Assert.Equal(4, checkpoint.BatchInEpoch);
        Assert.Equal(2 * 8 + 4, checkpoint.OptimizerStepCount);
        Assert.False(File.Exists(Path.Combine(stopped.Path, "model.safetensors")));

        string output = CliRunner.Ok("train", "--resume", stopped.Path, "--plain");
        Assert.Contains("resumed", output);
        Assert.Contains("in epoch 3 after batch 4 of 8", output);
        Assert.Equal(Bits(straight.Path), Bits(stopped.Path));
        Assert.Equal(TrainLoss(straight.Path), TrainLoss(stopped.Path));
        // The settings part of metrics.json agrees too.
        static string Settings(string dir) => File.ReadAllText(Path.Combine(dir, "metrics.json")).Split("\"epoch_seconds\"")[0];
        Assert.Equal(Settings(straight.Path), Settings(stopped.Path).Replace("\"resumed_from_epoch\": 2", "\"resumed_from_epoch\": 0"));
    }

    [Fact]
    public void ALanguageModelCountedInStepsResumesToTheSameBits()
    {
        // names-gru with 3 epochs of 6 steps drawn at random: stop inside epoch 2, resume, compare.
        string[] run = ["train", "names-gru", "--epochs", "3", "--steps-per-epoch", "6", "--limit-test", "50", "--no-plots"];
        using var straight = new TempFolder();
        using var stopped = new TempFolder();
        string first = CliRunner.Ok([.. run, "--out", straight.Path, "--plain"]);
        Assert.Contains("3 epochs of 6 steps on batches drawn at random, batch 32", first);
        var (code, _, err) = CliRunner.Run([.. run, "--out", stopped.Path, "--stop-after-batches", "8"]);
        Assert.Equal(130, code);
        Assert.Contains("during epoch 2 after batch 2 of 6", err);
        CliRunner.Ok("train", "--resume", stopped.Path, "--plain");
        Assert.Equal(Bits(straight.Path), Bits(stopped.Path));
        Assert.Equal(TrainLoss(straight.Path), TrainLoss(stopped.Path));
        using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(straight.Path, "metrics.json")));
        Assert.Equal(6, metrics.RootElement.GetProperty("steps_per_epoch").GetInt32());
    }

    /// <summary>metrics.json's per-epoch train_loss and train_accuracy lists, as written (round-trip numbers).</summary>
    private static string TrainLoss(string dir)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        return doc.RootElement.GetProperty("train_loss").GetRawText() + doc.RootElement.GetProperty("train_accuracy").GetRawText();
    }

    [Fact]
    public void InterruptedTwiceInsideEpochsThenResumedMatchesAStraightRun()
    {
        // Stopped inside epoch 1, resumed and stopped again inside the same epoch, then inside epoch 2
        // of a second resume: each checkpoint is at a batch, and the end has the straight run's bits.
        string[] run = ["train", "spirals", "--samples", "200", "--epochs", "3", "--dropout", "0.2", "--validation-split", "0.2",
            "--schedule", "cosine", "--batch-size", "16", "--no-plots"];
        using var straight = new TempFolder();
        using var stopped = new TempFolder();
        CliRunner.Ok([.. run, "--out", straight.Path]);

        // 160 training samples in batches of 16: 10 batches per epoch.
        var (code, _, err) = CliRunner.Run([.. run, "--out", stopped.Path, "--stop-after-batches", "3"]);
        Assert.Equal(130, code);
        Assert.Contains("during epoch 1 after batch 3 of 10", err);
        Assert.Equal((0, 3L), (Checkpoint.Load(stopped.Path).Epoch, Checkpoint.Load(stopped.Path).BatchInEpoch));

        (code, _, err) = CliRunner.Run("train", "--resume", stopped.Path, "--plain", "--stop-after-batches", "4");
        Assert.Equal(130, code);
        Assert.Contains("during epoch 1 after batch 7 of 10", err);
        Assert.Equal((0, 7L), (Checkpoint.Load(stopped.Path).Epoch, Checkpoint.Load(stopped.Path).BatchInEpoch));

        (code, _, err) = CliRunner.Run("train", "--resume", stopped.Path, "--plain", "--stop-after-batches", "8");
        Assert.Equal(130, code);
        Assert.Contains("during epoch 2 after batch 5 of 10", err);
        Assert.Equal((1, 5L), (Checkpoint.Load(stopped.Path).Epoch, Checkpoint.Load(stopped.Path).BatchInEpoch));

        CliRunner.Ok("train", "--resume", stopped.Path, "--plain");
        Assert.Equal(Bits(straight.Path), Bits(stopped.Path));
        Assert.Equal(TrainLoss(straight.Path), TrainLoss(stopped.Path));
    }

    [Fact]
    public void ResumeRefusesChangedTrainingSettings()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "xor", "--epochs", "2", "--no-plots", "--out", dir.Path);
        var (code, _, err) = CliRunner.Run("train", "--resume", dir.Path, "--lr", "0.5");
        Assert.Equal(1, code);
        Assert.Contains("--lr", err);
        var (code2, _, err2) = CliRunner.Run("train", "--resume", Path.Combine(dir.Path, "nothing-here"));
        Assert.Equal(2, code2);
        Assert.Single(err2.Trim().Split('\n'));
    }
}

/// <summary>The same seed gives the same model bits whatever --threads is.</summary>
public class CliDeterminismTests
{
    [Fact]
    public void ThreadCountDoesNotChangeTheModel()
    {
        using var one = new TempFolder();
        using var two = new TempFolder();
        string[] run = ["train", "mnist-mlp", "--limit-train", "640", "--limit-test", "100", "--epochs", "1", "--no-plots"];
        CliRunner.Ok([.. run, "--threads", "1", "--out", one.Path]);
        CliRunner.Ok([.. run, "--threads", "2", "--out", two.Path]);
        var (a, _) = ModelFile.Load(one.File("model.safetensors"));
        var (b, _) = ModelFile.Load(two.File("model.safetensors"));
        var bitsA = ModelTensors.Collect(a).SelectMany(t => t.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        var bitsB = ModelTensors.Collect(b).SelectMany(t => t.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        Assert.Equal(bitsA, bitsB);
    }

    [Fact]
    public void BenchTrainReportsEveryEpoch()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(CliRunner.Ok("bench", "train", "xor", "--epochs", "2", "--json"));
        Assert.Equal(2, doc.RootElement.GetProperty("epoch_seconds").GetArrayLength());
    }
}
