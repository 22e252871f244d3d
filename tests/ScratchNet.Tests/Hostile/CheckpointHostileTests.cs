using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Cli;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using static ScratchNet.Tests.Hostile.FaultsSupport;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// `scratchnet train --resume` on a checkpoint with one field made hostile: every number is checked
/// against what the run can reach before it is used, and every malformed field is refused with exit 2
/// and one line naming the file and the field; nothing is trained or written, the folder is left as it
/// was. Before, some of these resumed at epoch int.MinValue and trained until killed, and others ended
/// in internal errors (exit 70).
/// </summary>
public class CheckpointHostileTests
{
    /// <summary>
    /// A checkpoint inside epoch 2 (after batch 2 of 3) of spirals on 64 samples, with Adam, a plateau
    /// schedule, a validation split and early stopping, so that every kind of state is in it.
    /// </summary>
    private static readonly Lazy<byte[]> s_checkpoint = new(() =>
    {
        using var dir = new TempFolder();
        var (code, _, err) = CliRunner.Run("train", "spirals", "--samples", "64", "--epochs", "3", "--batch-size", "16", "--schedule", "plateau",
            "--validation-split", "0.25", "--early-stopping", "5", "--no-plots", "--out", dir.Path, "--stop-after-batches", "5");
        Assert.True(code == 130, err);
        return File.ReadAllBytes(Checkpoint.PathOf(dir.Path));
    });

    public static TheoryData<string, string, string> MetadataCases => new()
    {
        // field, hostile value, what the one line says
        { "checkpoint.epoch", "2147483648", "'checkpoint.epoch' 2147483648 is out of range" },
        { "checkpoint.epoch", "1000000", "the checkpoint has 1000000 epochs done, more than the 3 of its recipe" },
        { "checkpoint.epoch", "-1", "'checkpoint.epoch' is missing or not a non-negative integer" },
        { "checkpoint.epoch", "1e3", "'checkpoint.epoch' is missing or not a non-negative integer" },
        { "checkpoint.batch_in_epoch", "99", "the checkpoint stops after batch 99 of epoch 2, but an epoch has 3 batches" },
        { "checkpoint.batch_in_epoch", "99999999999", "'checkpoint.batch_in_epoch' 99999999999 is out of range" },
        { "checkpoint.global_step", "999", "'checkpoint.global_step' is 999, but 1 epochs of 3 batches and 2 more are 5 steps" },
        { "checkpoint.optimizer_step_count", "9223372036854775807", "'checkpoint.optimizer_step_count' is 9223372036854775807" },
        { "schedule.step", "NaN", "'schedule.*': The plateau schedule's 'step' must be a whole number" },
        { "schedule.step", "-5", "'schedule.*': The plateau schedule's 'step' must be a whole number" },
        { "schedule.step", "2.5", "'schedule.*': The plateau schedule's 'step' must be a whole number" },
        { "schedule.epoch", "1e300", "'schedule.*': The plateau schedule's 'epoch' must be a whole number" },
        { "schedule.epoch", "0", "'schedule.epoch' 0 and 'schedule.step' 5 do not match the checkpoint's 1 epochs and 5 steps" },
        { "schedule.base_rate", "-1", "'schedule.base_rate' -1 is not this run's base learning rate 0.01" },
        { "schedule.base_rate", "1e20", "'schedule.base_rate' 1E+20 is not this run's base learning rate 0.01" },
        { "schedule.base_rate", "Infinity", "'schedule.base_rate' Infinity is not this run's base learning rate 0.01" },
        { "schedule.best", "NaN", "'schedule.*': The plateau schedule's 'best' must be a loss or +infinity" },
        { "schedule.bad_epochs", "1000000000", "'schedule.*': The plateau schedule's 'bad_epochs' must be a whole number in [0, 5]" },
        { "schedule.reductions", "3", "'schedule.*': The plateau schedule's 'reductions' must be a whole number in [0, 1]" },
        { "schedule.step", "abc", "schedule value 'schedule.step' is not a number: 'abc'" },
        { "settings.history", "not json", "'settings.history' is not a list of epoch metrics" },
        { "settings.history", "{}", "'settings.history' is not a list of epoch metrics" },
        { "settings.history", "[]", "'settings.history' has 0 epochs, but the checkpoint has 1 epochs done" },
        { "settings.history", "[{\"Epoch\":1}]", "'settings.history' entry 1 has no 'TrainLoss'" },
        { "settings.history", "[null]", "'settings.history' entry 1 is not an object of epoch metrics" },
        { "settings.history", "[[1,2]]", "'settings.history' entry 1 is not an object of epoch metrics" },
        { "settings.history", Row(epoch: "7"), "'settings.history' entry 1 is numbered epoch 7" },
        { "settings.history", Row(trainLoss: "\"NaN\""), "'settings.history' entry 1 has a train loss of NaN" },
        { "settings.history", Row(trainLoss: "\"x\""), "'settings.history' is not a list of epoch metrics" },
        { "settings.history", Row(accuracy: "7"), "'settings.history' entry 1 has a train accuracy of 7" },
        { "settings.history", Row(seconds: "-1"), "'settings.history' entry 1 has a time of -1" },
        { "settings.history", Row(extra: ",\"Surprise\":1"), "'settings.history' is not a list of epoch metrics" },
        { "settings.epoch_seen", "40", "'settings.epoch_seen' is 40, but 2 batches of 16 of 48 samples are 32 rows" },
        { "settings.epoch_seen", "5", "'settings.epoch_correct' 20 is more than the 5 rows seen ('settings.epoch_seen')" },
        { "settings.epoch_seen", "0", "'settings.epoch_seen' counts no rows" },
        { "settings.epoch_correct", "999", "'settings.epoch_correct' 999 is more than the 32 rows seen" },
        { "settings.epoch_correct", "x", "'settings.epoch_correct' is not a non-negative integer: 'x'" },
        { "settings.epoch_loss_sum", "NaN", "'settings.epoch_loss_sum' is not a finite number: 'NaN'" },
        { "settings.epoch_loss_sum", "-1", "'settings.epoch_loss_sum' is negative" },
        { "settings.early_stopping", "NaN;0;0", "'settings.early_stopping' is not 'best loss;best epoch;epochs waited'" },
        { "settings.early_stopping", "0.5;99;0", "'settings.early_stopping' is not 'best loss;best epoch;epochs waited' within the 1 epochs done" },
        { "settings.early_stopping", "0.5;1;-3", "'settings.early_stopping' is not 'best loss;best epoch;epochs waited'" },
        { "settings.batch_size", "0", "'settings.batch_size' says the checkpoint was written with batch size 0; this run uses batch size 16" },
        { "settings.seed", "\u001b[31mred", "'settings.seed' says the checkpoint was written with seed \\u001b[31mred; this run uses seed 1" },
        { "format_version", "3", "a version 3 checkpoint; this ScratchNet reads version 2 checkpoints only" },
        { "model.architecture", Bomb, "'model.architecture' {\"input_shape\":[1000,30,30],\"layers\":[{\"type\":\"Conv2D\",\"settings\":{\"outChannels\":\"1000\",\"kernelSize\":\"30\"}}]} is not the architecture of this run's model" },
        { "model.architecture", """{"input_shape":[2],"layers":[{"type":"Dense","settings":{"units":"3"}}]}""", "'model.architecture' {\"input_shape\":[2],\"layers\":[{\"type\":\"Dense\",\"settings\":{\"units\":\"3\"}}]} is not the architecture of this run's model" },
    };

    /// <summary>A Conv2D of 1,000 filters of 30 x 30 over 1,000 channels: 3.6 GB of weights claimed by a few hundred bytes.</summary>
    private const string Bomb = """{"input_shape":[1000,30,30],"layers":[{"type":"Conv2D","settings":{"outChannels":"1000","kernelSize":"30"}}]}""";

    public static TheoryData<string, string, string> RecipeCases => new()
    {
        // a change to the saved recipe's JSON, its description, what the one line says
        { "", "garbage", "'settings.recipe': the recipe is not valid" },
        { "\"epochs\":3", "epochs of the wrong type", "'settings.recipe': the recipe is not valid (The JSON value could not be converted" },
        { "\"batch_size\":16,", "a required field missing", "'settings.recipe': the recipe is not valid" },
        { "\"batch_size\":16", "batch size 0", "'settings.recipe': The batch size must be at least 1 (got 0)" },
        { "\"samples\":64", "a billion samples", "'settings.recipe': The sample count must be in [1, 10000000] (got 1000000000)" },
        { "\"epochs\":3,", "2^31-1 epochs", "'settings.recipe': Epochs must be in [1, 1000000] (got 2147483647)" },
        { "\"type\":\"mlp\"", "an unknown model type", "'settings.recipe': the recipe is not valid" },
        { "\"hidden\":[64,64]", "a billion units", "'settings.recipe': Hidden layer widths must be in [1, 65536]" },
        { "\"data\":{", "null data", "'settings.recipe': A recipe needs its data ('data')" },
        { "\"name\":\"spirals\"", "a name with a terminal escape", "'settings.recipe': The recipe's name is not a name: '\\u001b[2J'" },
        { "\"learning_rate\":0.01", "a NaN learning rate", "'settings.recipe': The learning rate must be a positive number (got NaN)" },
        { "\"binary_threshold\":0.5", "a NaN threshold", "'settings.recipe': The binary threshold must be a finite number (got NaN)" },
        { "\"standardize\":\"none\"", "a standardisation by an undefined number", "'settings.recipe': Unknown standardisation -1" },
        { "\"min_delta\":0", "an infinite early-stopping delta", "'settings.recipe': Early stopping MinDelta must be a number >= 0 (got Infinity)" },
        { "\"validation_split\":0.25", "a split that leaves nothing to train", "'settings.recipe' does not fit its data: A validation split of 0.999 leaves 0 training" },
        { "\"type\":\"mlp\",\"hidden\":[64,64]", "a CNN for 2-D points", "'settings.recipe' does not fit its data: A convolutional network takes images" },
        { "\"dataset\":\"spirals\"", "a sample count for MNIST", "'settings.recipe' does not fit its data: A sample count applies to the generated 2-D sets" },
    };

    [Theory]
    [MemberData(nameof(MetadataCases))]
    public void A_hostile_metadata_field_is_refused_with_one_line_naming_it(string field, string value, string expected)
    {
        using var dir = Hostile(meta => meta[field] = value);
        AssertRefused(dir, expected);
    }

    [Theory]
    [MemberData(nameof(RecipeCases))]
    public void A_hostile_saved_recipe_is_an_input_error_naming_the_file(string part, string what, string expected)
    {
        using var dir = Hostile(meta =>
        {
            string json = meta["settings.recipe"];
            string edited = what switch
            {
                "garbage" => "{\"name\": [",
                "epochs of the wrong type" => json.Replace(part, "\"epochs\":\"three\""),
                "a required field missing" => json.Replace(part, ""),
                "batch size 0" => json.Replace(part, "\"batch_size\":0"),
                "a billion samples" => json.Replace(part, "\"samples\":1000000000"),
                "2^31-1 epochs" => json.Replace(part, "\"epochs\":2147483647,"),
                "an unknown model type" => json.Replace(part, "\"type\":\"transformer\""),
                "a billion units" => json.Replace(part, "\"hidden\":[1000000000]"),
                "null data" => json.Replace(Between(json, part, "},"), "\"data\":null,"),
                "a name with a terminal escape" => json.Replace(part, "\"name\":\"\\u001b[2J\""),
                "a NaN learning rate" => json.Replace(part, "\"learning_rate\":\"NaN\""),
                "a NaN threshold" => json.Replace(part, "\"binary_threshold\":\"NaN\""),
                "a standardisation by an undefined number" => json.Replace(part, "\"standardize\":-1"),
                "an infinite early-stopping delta" => json.Replace(part, "\"min_delta\":1e300"),
                "a split that leaves nothing to train" => json.Replace(part, "\"validation_split\":0.999"),
                "a CNN for 2-D points" => json.Replace(part, "\"type\":\"cnn\""),
                "a sample count for MNIST" => json.Replace(part, "\"dataset\":\"mnist\""),
                _ => throw new ArgumentException(what),
            };
            Assert.True(what == "garbage" || json.Contains(part, StringComparison.Ordinal), $"the saved recipe has no {part}: {json}");
            meta["settings.recipe"] = edited;
        });
        AssertRefused(dir, expected);
    }

    [Fact]
    public void The_unchanged_checkpoint_resumes()
    {
        // The harness itself: without an edit the run finishes.
        using var dir = Hostile(_ => { });
        CliRunner.Ok("train", "--resume", dir.Path, "--no-plots");
        Assert.True(File.Exists(dir.File(TrainingJob.ModelFileName)));
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void An_optimizer_state_of_another_shape_is_refused_when_restored_naming_the_tensor()
    {
        using var dir = Hostile(_ => { }, tensors => Replace(tensors, "optimizer.p0.m", t => SafeTensor.FromTensor(t.Name, new Tensor(64, 2))));
        AssertRefused(dir, "the optimizer state: Adam state 'p0.m' has shape (64, 2), but parameter 0 (weight) has shape (2, 64)");
    }

    [Fact]
    public void An_optimizer_state_with_a_negative_second_moment_is_refused()
    {
        using var dir = Hostile(_ => { }, tensors => Replace(tensors, "optimizer.p1.v", t =>
        {
            var v = t.ToTensor();
            v.Span[3] = -1;
            return SafeTensor.FromTensor(t.Name, v);
        }));
        AssertRefused(dir, "the optimizer state: Adam state 'p1.v' holds -1 at index 3 (it must be finite and >= 0)");
    }

    [Fact]
    public void An_optimizer_state_with_a_stray_tensor_or_a_missing_one_is_refused()
    {
        using (var dir = Hostile(_ => { }, tensors => [.. tensors, SafeTensor.FromTensor("optimizer.p9.m", new Tensor(2))]))
            AssertRefused(dir, "the optimizer state: Adam state has an unexpected tensor 'p9.m'");
        using (var dir = Hostile(_ => { }, tensors => tensors.Where(t => t.Name != "optimizer.p2.v").ToList()))
            AssertRefused(dir, "the optimizer state: Adam state is missing tensor 'p2.v'");
        using (var dir = Hostile(_ => { }, tensors => tensors.Where(t => !t.Name.StartsWith("optimizer.", StringComparison.Ordinal)).ToList()))
            AssertRefused(dir, "the optimizer state: Adam has taken 5 steps, but its state is empty");
    }

    [Fact]
    public void A_non_finite_weight_or_best_weight_is_refused()
    {
        using (var dir = Hostile(_ => { }, tensors => Replace(tensors, "model.layers.0.weight", t => Poison(t, float.NaN))))
            AssertRefused(dir, "tensor 'model.layers.0.weight' holds NaN; a checkpoint holds finite weights only");
        using (var dir = Hostile(_ => { }, tensors => Replace(tensors, "extra.best.layers.2.bias", t => Poison(t, float.NegativeInfinity))))
            AssertRefused(dir, "tensor 'extra.best.layers.2.bias' holds -Infinity; a checkpoint holds finite weights only");
    }

    [Fact]
    public void A_schedule_state_with_a_key_missing_or_none_at_all_is_refused()
    {
        using (var dir = Hostile(meta => meta.Remove("schedule.best")))
            AssertRefused(dir, "'schedule.*': The plateau schedule's state has no 'best'");
        using (var dir = Hostile(meta => { foreach (var k in meta.Keys.Where(k => k.StartsWith("schedule.", StringComparison.Ordinal)).ToList()) meta.Remove(k); }))
            AssertRefused(dir, "the checkpoint has no schedule state ('schedule.*')");
        using (var dir = Hostile(meta => meta.Remove("settings.history")))
            AssertRefused(dir, "the checkpoint has no 'settings.history'");
        using (var dir = Hostile(meta => meta.Remove("settings.seed")))
            AssertRefused(dir, "the checkpoint has no 'settings.seed'");
    }

    [Fact]
    public void Resuming_with_fewer_epochs_than_done_is_a_usage_error()
    {
        using var dir = Hostile(_ => { });
        Refused(1, ["train", "--resume", dir.Path, "--epochs", "1", "--no-plots"], "The checkpoint is inside epoch 2: the run cannot be cut to 1 epochs.");
        Refused(1, ["train", "--resume", dir.Path, "--epochs", "2000000", "--no-plots"], "--epochs must be between 1 and");
    }

    [Fact]
    public void A_refused_recipe_of_a_billion_samples_allocates_nothing_for_them()
    {
        // Refused before the data is generated: far below the 16 GB that a billion 2-D samples would take.
        using var dir = Hostile(meta => meta["settings.recipe"] = meta["settings.recipe"].Replace("\"samples\":64", "\"samples\":1000000000"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ModelFileException>(() => TrainingJob.Resume(dir.Path).Dispose());
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64L << 20);
        Assert.Empty(Leftovers(dir.Path));
    }

    [Theory]
    [InlineData("base_rate", double.NaN, "'base_rate' must be a positive number (got NaN)")]
    [InlineData("base_rate", 1e300, "'base_rate' must be a positive number (got 1E+300)")]
    [InlineData("epoch", 2.5, "'epoch' must be a whole number in [0, 2147483646] (got 2.5)")]
    [InlineData("epoch", 3e9, "'epoch' must be a whole number in [0, 2147483646] (got 3000000000)")]
    [InlineData("step", -1.0, "'step' must be a whole number in [0, 9007199254740992] (got -1)")]
    [InlineData("step", double.PositiveInfinity, "'step' must be a whole number in [0, 9007199254740992] (got Infinity)")]
    public void A_schedule_refuses_a_state_out_of_range_and_keeps_its_own(string key, double value, string expected)
    {
        var schedule = new ScratchNet.Training.Schedules.CosineAnnealingSchedule(10) { BaseRate = 0.1f };
        schedule.AdvanceStep();
        var state = new Dictionary<string, double>(schedule.GetState()) { [key] = value };
        var e = Assert.Throws<FormatException>(() => schedule.SetState(state));
        Assert.Contains(expected, e.Message);
        Assert.Equal((0, 1L, 0.1f), (schedule.Epoch, schedule.Step, schedule.BaseRate));
        state.Remove(key);
        Assert.Contains($"has no '{key}'", Assert.Throws<FormatException>(() => schedule.SetState(state)).Message);
    }

    /// <summary>Refused with exit 2, one line naming the checkpoint file and <paramref name="expected"/>; nothing written, the folder unlocked.</summary>
    private static void AssertRefused(TempFolder dir, string expected)
    {
        byte[] before = File.ReadAllBytes(Checkpoint.PathOf(dir.Path));
        Refused(2, ["train", "--resume", dir.Path, "--no-plots"], Checkpoint.PathOf(dir.Path) + ": ", expected);
        Assert.Equal([Checkpoint.FileName], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).ToArray());
        Assert.Equal(before, File.ReadAllBytes(Checkpoint.PathOf(dir.Path)));
    }

    /// <summary>A folder with the base checkpoint, its metadata and tensors edited.</summary>
    private static TempFolder Hostile(Action<Dictionary<string, string>> editMetadata, Func<List<SafeTensor>, List<SafeTensor>>? editTensors = null)
    {
        var dir = new TempFolder();
        string path = Checkpoint.PathOf(dir.Path);
        File.WriteAllBytes(path, s_checkpoint.Value);
        var content = SafeTensorsFile.Read(path);
        var meta = new Dictionary<string, string>(content.Metadata);
        editMetadata(meta);
        var tensors = content.Tensors.ToList();
        if (editTensors is not null) tensors = editTensors(tensors);
        File.Delete(path);
        SafeTensorsFile.Write(path, tensors, meta);
        return dir;
    }

    private static List<SafeTensor> Replace(List<SafeTensor> tensors, string name, Func<SafeTensor, SafeTensor> replace)
    {
        int i = tensors.FindIndex(t => t.Name == name);
        Assert.True(i >= 0, $"no tensor '{name}' in the checkpoint: {string.Join(", ", tensors.Select(t => t.Name))}");
        tensors[i] = replace(tensors[i]);
        return tensors;
    }

    private static SafeTensor Poison(SafeTensor t, float value)
    {
        var tensor = t.ToTensor();
        tensor.Span[0] = value;
        return SafeTensor.FromTensor(t.Name, tensor);
    }

    /// <summary>A history of one epoch with one field changed.</summary>
    private static string Row(string epoch = "1", string trainLoss = "0.9", string accuracy = "0.5", string seconds = "0.1", string extra = "") =>
        $"[{{\"Epoch\":{epoch},\"TrainLoss\":{trainLoss},\"TrainAccuracy\":{accuracy},\"ValidationLoss\":0.9,\"ValidationAccuracy\":0.5," +
        $"\"TestLoss\":0.9,\"TestAccuracy\":0.5,\"LearningRate\":0.01,\"Seconds\":{seconds},\"CpuSeconds\":0.1,\"EvaluationSeconds\":0.01{extra}}}]";

    private static string Between(string text, string start, string end)
    {
        int i = text.IndexOf(start, StringComparison.Ordinal);
        int j = text.IndexOf(end, i, StringComparison.Ordinal);
        return text[i..(j + end.Length)];
    }
}
