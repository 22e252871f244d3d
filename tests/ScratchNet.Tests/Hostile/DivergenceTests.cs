using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;
using ScratchNet.Training;
using static ScratchNet.Tests.Hostile.FaultsSupport;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// A run whose loss or weights become non-finite stops with exit 3 and one line saying where, wherever
/// that happens: in a step, after an epoch's last step (no later loss in the epoch sees those weights),
/// in the validation or test evaluation after an epoch. Nothing non-finite is written as a model, and the
/// checkpoint on disk stays the last good one.
/// </summary>
public class DivergenceTests
{
    [Fact]
    public void A_test_loss_that_overflows_in_the_last_epoch_stops_the_run_and_writes_no_model()
    {
        // The weights stay finite (about 4e19); the squared error of the test set overflows float in epoch 3.
        using var dir = new TempFolder();
        Refused(3, ["train", "tv-marketing", "--epochs", "3", "--lr", "1e6", "--no-plots", "--out", dir.Path],
            "Training diverged: the test loss became +infinity after epoch 3 (learning rate 1E+06). Try a smaller learning rate.");
        Assert.False(File.Exists(dir.File(TrainingJob.ModelFileName)));
        Assert.False(File.Exists(dir.File(TrainingJob.MetricsFileName)));
        Assert.Empty(Leftovers(dir.Path));
        // The checkpoint is the last good one: after epoch 2, every value finite.
        var state = Checkpoint.Load(dir.Path);
        Assert.Equal(2, state.Epoch);
        Assert.All(state.Weights.Values.Concat(state.OptimizerState.Values), t => Assert.All(t.ToArray(), v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Weights_that_overflow_in_the_last_step_of_the_last_epoch_are_caught_before_evaluation()
    {
        // One full-batch step at η = 1e38: its loss (from the initial weights) is finite, the weights after
        // it are not, and no later step's loss will see them.
        using var dir = new TempFolder();
        Refused(3, ["train", "tv-marketing", "--epochs", "1", "--lr", "1e38", "--no-plots", "--out", dir.Path],
            "Training diverged: the model's tensor 'layers.0.weight' became +infinity after the last step of epoch 1 (learning rate 1E+38).");
        Assert.Empty(Directory.GetFiles(dir.Path)); // no model, no metrics, no checkpoint, no lock
    }

    [Fact]
    public void A_validation_loss_that_overflows_stops_the_run()
    {
        using var dir = new TempFolder();
        Refused(3, ["train", "tv-marketing", "--epochs", "3", "--lr", "1e6", "--validation-split", "0.5", "--no-plots", "--out", dir.Path],
            "Training diverged: the validation loss became +infinity after epoch 3 (learning rate 1E+06).");
        Assert.False(File.Exists(dir.File(TrainingJob.ModelFileName)));
        Assert.Equal(2, Checkpoint.Load(dir.Path).Epoch);
    }

    [Fact]
    public void The_library_job_throws_and_writes_no_model_either()
    {
        using var dir = new TempFolder();
        var recipe = ScratchNet.Training.Presets.PresetCatalog.TvMarketing with
        {
            Epochs = 1,
            Optimizer = ScratchNet.Training.Presets.PresetCatalog.TvMarketing.Optimizer with { LearningRate = 1e38 },
        };
        var e = Assert.Throws<TrainingDivergedException>(() => TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = dir.Path }));
        Assert.Equal(1, e.Epoch);
        Assert.Equal(0, e.Batch);
        Assert.True(float.IsPositiveInfinity(e.Loss));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_stop_inside_an_epoch_after_a_step_that_overflowed_saves_no_checkpoint()
    {
        // Two batches per epoch; the first step overflows the weights and the stop comes right after it,
        // before any loss has seen them. The checkpoint of the stop would hold +infinity: it is refused,
        // and the divergence is reported instead of the interruption.
        using var dir = new TempFolder();
        var data = new InMemoryDataset("line", Tensor.FromArray([1, 2, 3, 4], 4, 1), Tensor.FromArray([2, 4, 6, 8], 4, 1), 0);
        var trainer = new Trainer(new Sequential(new Dense(1)), new TrainerOptions
        {
            Loss = new MeanSquaredError(), Optimizer = new Sgd(1e38f), Epochs = 2, BatchSize = 2, Seed = 1, Shuffle = false, CheckpointDir = dir.Path,
        });
        using var cancel = new CancellationTokenSource();
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, new CancelAfterFirstBatch(cancel), cancel.Token));
        Assert.Contains("after batch 1 of epoch 1", e.Message);
        Assert.False(Checkpoint.Exists(dir.Path));
    }

    [Fact]
    public void A_loss_that_becomes_NaN_mid_epoch_still_names_the_batch()
    {
        using var dir = new TempFolder();
        Refused(3, ["train", "tv-marketing", "--lr", "100", "--batch-size", "20", "--no-plots", "--out", dir.Path],
            "Training diverged: the loss became", "at epoch", ", batch ");
        Assert.False(File.Exists(dir.File(TrainingJob.ModelFileName)));
        Assert.Empty(Leftovers(dir.Path));
    }

    [Fact]
    public void The_check_finds_every_kind_of_non_finite_value_at_any_position()
    {
        foreach (int n in new[] { 0, 1, 7, 33, 257 })
        {
            var values = new float[n];
            Assert.Equal(-1, FiniteCheck.IndexOfNonFinite(values));
            for (int at = 0; at < n; at += Math.Max(1, n / 5))
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    values[at] = bad;
                    Assert.Equal(at, FiniteCheck.IndexOfNonFinite(values));
                    values[at] = float.MaxValue;
                    Assert.Equal(-1, FiniteCheck.IndexOfNonFinite(values));
                }
        }
    }

    private sealed class CancelAfterFirstBatch(CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnBatchEnd(in BatchProgress progress) => cancel.Cancel();
    }
}
