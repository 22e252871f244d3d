using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Cli.Training;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Training;

/// <summary>
/// The library's <see cref="TrainingJob"/> and `scratchnet train` are one pipeline: the same recipe and
/// seed give the same model file, byte for byte, and the learning rate is reported as the schedule gave it.
/// </summary>
public class OnePipelineTests
{
    private static JsonElement Metrics(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, TrainingJob.MetricsFileName)));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void TheLibraryAndTheCommandLineWriteTheSameModelFile()
    {
        // Dropout, a validation split, L2 and a schedule: every generator and every optional part of a step is used.
        var recipe = PresetCatalog.Spirals with
        {
            Epochs = 3,
            Seed = 5,
            Data = PresetCatalog.Spirals.Data with { Samples = 240 },
            Model = ((MlpRecipe)PresetCatalog.Spirals.Model) with { Dropout = 0.1 },
            Schedule = new ScheduleRecipe { Name = "cosine" },
            Regularization = new Regularization { L2 = 1e-4f },
            ValidationSplit = 0.25,
        };
        using var library = new TempFolder();
        using var cli = new TempFolder();
        TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = library.Path, Threads = 1 });
        CliRunner.Ok("train", "spirals", "--epochs", "3", "--seed", "5", "--samples", "240", "--dropout", "0.1", "--schedule", "cosine",
            "--l2", "1e-4", "--validation-split", "0.25", "--threads", "2", "--no-plots", "--out", cli.Path);

        Assert.Equal(File.ReadAllBytes(library.File(TrainingJob.ModelFileName)), File.ReadAllBytes(cli.File(TrainingJob.ModelFileName)));
        foreach (string list in new[] { "train_loss", "validation_loss", "test_loss", "learning_rate" })
            Assert.Equal(Metrics(library.Path).GetProperty(list).GetRawText(), Metrics(cli.Path).GetProperty(list).GetRawText());
    }

    [Fact]
    public void AResumedCommandLineRunWritesTheModelFileOfAStraightLibraryRun()
    {
        var recipe = PresetCatalog.Moons with { Epochs = 3, Data = PresetCatalog.Moons.Data with { Samples = 160 } };
        using var library = new TempFolder();
        using var cli = new TempFolder();
        TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = library.Path });
        // 160 samples in batches of 32: 5 per epoch; stop in epoch 2, then resume from the checkpoint alone.
        var (code, _, _) = CliRunner.Run("train", "moons", "--epochs", "3", "--samples", "160", "--no-plots", "--out", cli.Path, "--stop-after-batches", "7");
        Assert.Equal(130, code);
        CliRunner.Ok("train", "--resume", cli.Path, "--no-plots");
        Assert.Equal(File.ReadAllBytes(library.File(TrainingJob.ModelFileName)), File.ReadAllBytes(cli.File(TrainingJob.ModelFileName)));
    }

    [Fact]
    public void MetricsGiveTheBaseRateTheScheduleAndTheRateOfEachEpoch()
    {
        var mlp = PresetCatalog.MnistMlp;
        using var dir = new TempFolder();
        TrainingJob.Run(mlp with { Epochs = 2, Data = mlp.Data with { TrainLimit = 640, TestLimit = 100 } }, new TrainingJobOptions { OutDir = dir.Path });
        var m = Metrics(dir.Path);
        Assert.Equal(1e-3, m.GetProperty("base_learning_rate").GetDouble(), 9);
        Assert.Equal("cosine", m.GetProperty("schedule").GetString());
        Assert.Equal("2", m.GetProperty("schedule_settings").GetProperty("total_epochs").GetString());
        // η of each epoch's first step: η₀, then half-way down the cosine (10 steps per epoch).
        var rates = m.GetProperty("learning_rate").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, rates.Length);
        Assert.Equal(1e-3, rates[0], 9);
        Assert.Equal(1e-3 * (1 + Math.Cos(Math.PI * 10 / 20)) / 2, rates[1], 9);
        Assert.False(m.GetProperty("optimizer_settings").TryGetProperty("learning_rate", out _), "the optimizer's own rate is the schedule's last, not a setting of the run");
        Assert.Equal("mnist-mlp", m.GetProperty("recipe").GetProperty("name").GetString());
    }

    [Fact]
    public void NamingThePresetsOwnOptimizerKeepsItsLearningRate()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "spirals", "--optimizer", "adam", "--epochs", "1", "--samples", "64", "--no-plots", "--out", dir.Path);
        var m = Metrics(dir.Path);
        Assert.Equal(0.01, m.GetProperty("base_learning_rate").GetDouble(), 9);
        Assert.Equal(0.01, m.GetProperty("learning_rate")[0].GetDouble(), 9);
    }

    [Fact]
    public void AnOptionNotGivenChangesNothing()
    {
        var overrides = new RecipeOverrides();
        foreach (var preset in PresetCatalog.All) Assert.Equal(preset, overrides.ApplyTo(preset));
        var tv = new RecipeOverrides { Optimizer = "momentum" }.ApplyTo(PresetCatalog.TvMarketing);
        Assert.Equal(0.1, tv.Optimizer.LearningRate);
        Assert.Equal(PresetCatalog.TvMarketing.Schedule, tv.Schedule);
    }

    [Fact]
    public void ASettingOfAnotherScheduleIsRefusedWithTheOptionsName()
    {
        var (code, _, err) = CliRunner.Run("train", "xor", "--warmup", "1", "--no-plots");
        Assert.Equal(1, code);
        Assert.Equal("scratchnet: --warmup applies to the cosine schedule; this run's schedule is constant (choose one with --schedule)", err.Trim());
    }

    [Fact]
    public void ACheckpointUsedAsAModelPredictsWhatTheModelPredicts()
    {
        using var dir = new TempFolder();
        CliRunner.Ok("train", "tv-marketing", "--epochs", "50", "--no-plots", "--out", dir.Path);
        string input = dir.File("tv.csv");
        File.WriteAllText(input, "TV\n50\n120\n200\n");
        string fromModel = CliRunner.Ok("predict", "--model", dir.File(TrainingJob.ModelFileName), "--input", input);
        string fromCheckpoint = CliRunner.Ok("predict", "--model", dir.File(Checkpoint.FileName), "--input", input);
        Assert.Equal(fromModel, fromCheckpoint);
        Assert.Contains("row 1: Sales = ", fromModel);
        Assert.Equal(
            CliRunner.Ok("evaluate", "--model", dir.File(TrainingJob.ModelFileName)).Split('\n')[1..],
            CliRunner.Ok("evaluate", "--model", dir.File(Checkpoint.FileName)).Split('\n')[1..]);
    }

    [Fact]
    public void ACheckpointThatCannotSayHowItsInputsArePreparedIsRefused()
    {
        using var dir = new TempFolder();
        var model = new Sequential(new Dense(1));
        var data = new InMemoryDataset("line", Tensor.FromArray([1, 2, 3, 4], 4, 1), Tensor.FromArray([2, 4, 6, 8], 4, 1), 0);
        new Trainer(model, new TrainerOptions { Loss = new MeanSquaredError(), Optimizer = new Sgd(0.01f), Epochs = 1, BatchSize = 4, CheckpointDir = dir.Path }).Fit(data);
        foreach (string command in new[] { "predict", "evaluate", "inspect" })
        {
            string[] args = command == "inspect" ? [command, dir.File(Checkpoint.FileName)]
                : command == "predict" ? [command, "--model", dir.File(Checkpoint.FileName), "--input", dir.File("x.csv")]
                : [command, "--model", dir.File(Checkpoint.FileName)];
            var (code, output, err) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains("training checkpoint without model metadata", err);
        }
    }

    [Fact]
    public void ACheckpointOfAnotherVersionIsRefusedNamingBothVersions()
    {
        using var dir = new TempFolder();
        var model = new Sequential(new Dense(1)).Build([1], 1UL);
        Checkpoint.Save(dir.Path, CheckpointState.Capture(model, null, null, epoch: 1));
        // Rewrite the version in the header: what an older ScratchNet wrote.
        var tensors = SafeTensorsFile.Read(dir.File(Checkpoint.FileName));
        var meta = new Dictionary<string, string>(tensors.Metadata) { ["format_version"] = "1" };
        SafeTensorsFile.Write(dir.File(Checkpoint.FileName), tensors.Tensors, meta);
        var e = Assert.Throws<ModelFileException>(() => Checkpoint.Load(dir.Path));
        Assert.Contains("a version 1 checkpoint; this ScratchNet reads version 2 checkpoints only", e.Message);
        var (code, _, err) = CliRunner.Run("train", "--resume", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("version 1", err);
        Assert.Contains("version 2", err);
    }

    [Fact]
    public void TheLibraryResumesARunFromItsFolderAlone()
    {
        var recipe = PresetCatalog.Circles with { Epochs = 2, Data = PresetCatalog.Circles.Data with { Samples = 96 } };
        using var straight = new TempFolder();
        using var stopped = new TempFolder();
        TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = straight.Path });
        using var cancel = new CancellationTokenSource();
        using (var job = TrainingJob.Create(recipe, new TrainingJobOptions { OutDir = stopped.Path }))
        {
            var e = Assert.Throws<TrainingInterruptedException>(() => job.Run(new StopAfter(4, cancel), cancel.Token));
            Assert.Equal(2, e.Epoch);
        }
        using var resumed = TrainingJob.Resume(stopped.Path);
        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(1, resumed.ResumedAt.Batch);
        resumed.Run();
        Assert.Equal(File.ReadAllBytes(straight.File(TrainingJob.ModelFileName)), File.ReadAllBytes(stopped.File(TrainingJob.ModelFileName)));
    }

    /// <summary>Cancels after <paramref name="batches"/> batches (circles: 3 batches of 32 per epoch).</summary>
    private sealed class StopAfter(int batches, CancellationTokenSource cancel) : ITrainingObserver
    {
        private int _left = batches;

        public void OnBatchEnd(in BatchProgress progress)
        {
            if (--_left == 0) cancel.Cancel();
        }
    }
}
