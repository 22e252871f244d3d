using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Training;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Tests.Training;

/// <summary>
/// A Trainer stopped between two batches of an epoch and continued from that batch (through its own
/// checkpoint, or through <see cref="TrainerOptions.StartPosition"/>) ends with the bits and the
/// per-epoch train metrics of a run that never stopped. The model has dropout, so the layer's
/// generator must come back too.
/// </summary>
public class TrainerMidEpochResumeTests
{
    private static InMemoryDataset Blobs(int n, int d, ulong seed) => TrainerTests.Blobs(n, d, seed);

    private static Sequential Mlp() =>
        new(new Dense(32, new HeUniform()), new ReLU(), new Dropout(0.25f), new Dense(3));

    // 200 samples in batches of 32: 7 batches per epoch, the last one of 8 rows.
    private static TrainerOptions Options(string? dir = null, bool resume = false, EpochPosition start = default, int epochs = 4) => new()
    {
        Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = epochs, BatchSize = 32, Seed = 9,
        Schedule = new CosineAnnealingSchedule(4, 0.5f), Regularization = new Regularization { L2 = 1e-4f },
        CheckpointDir = dir, Resume = resume, StartPosition = start,
    };

    private static int[] Bits(Sequential model) =>
        model.Parameters.SelectMany(p => p.Value.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Fact]
    public void Stopped_mid_epoch_with_a_checkpoint_then_resumed_matches_a_straight_run()
    {
        var data = Blobs(200, 12, 4);
        var whole = Mlp();
        var wholeHistory = new Trainer(whole, Options()).Fit(data);

        string dir = Directory.CreateTempSubdirectory("scratchnet-midepoch-").FullName;
        try
        {
            var e = Assert.Throws<TrainingInterruptedException>(() => new Trainer(Mlp(), Options(dir)).Fit(data, new StopAt(3, 4)));
            Assert.Equal(3, e.Epoch);
            Assert.Equal(7, e.Batches);
            Assert.Equal(4, e.Position.Batch);
            Assert.Equal(128, e.Position.Seen);
            Assert.Contains("epoch 3 after batch 4 of 7", e.Message);

            var state = Checkpoint.Load(dir);
            Assert.Equal(2, state.Epoch);
            Assert.Equal(4, state.BatchInEpoch);
            Assert.Equal(2 * 7 + 4, state.OptimizerStepCount);
            Assert.Equal(e.Position, EpochPosition.ReadFrom(state));

            var resumed = Mlp();
            var history = new Trainer(resumed, Options(dir, resume: true)).Fit(data);
            Assert.Equal(4, history.Epochs.Count);
            Assert.Equal(Bits(whole), Bits(resumed));
            Assert.Equal(Bits(wholeHistory.Epochs.Select(m => m.TrainLoss)), Bits(history.Epochs.Select(m => m.TrainLoss)));
            Assert.Equal(Bits(wholeHistory.Epochs.Select(m => m.TrainAccuracy)), Bits(history.Epochs.Select(m => m.TrainAccuracy)));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_cancelled_epoch_is_finished_by_StartPosition_with_the_same_bits()
    {
        // One-epoch fits with the same seed, as `scratchnet train` runs them: the token stops the first
        // after batch 5; the second, on the same model and optimizer, starts at batch 6.
        var data = Blobs(200, 12, 5);
        var straight = Mlp();
        var straightOptions = Options(epochs: 1);
        var straightLoss = new Trainer(straight, straightOptions).Fit(data).Epochs[0].TrainLoss;

        var model = Mlp();
        var first = Options(epochs: 1);
        using var cancel = new CancellationTokenSource();
        var e = Assert.Throws<TrainingInterruptedException>(() =>
            new Trainer(model, first).Fit(data, new Watch(5, cancel), cancel.Token));
        Assert.Equal(5, e.Position.Batch);
        Assert.IsType<OperationCanceledException>(e.InnerException, exactMatch: false);

        var second = new TrainerOptions
        {
            Loss = first.Loss, Optimizer = first.Optimizer, Epochs = 1, BatchSize = 32, Seed = 9, Schedule = first.Schedule,
            Regularization = first.Regularization, StartPosition = e.Position,
        };
        double loss = new Trainer(model, second).Fit(data).Epochs[0].TrainLoss;
        Assert.Equal(Bits(straight), Bits(model));
        Assert.Equal(BitConverter.DoubleToInt64Bits(straightLoss), BitConverter.DoubleToInt64Bits(loss));
    }

    [Fact]
    public void A_start_position_past_the_epoch_or_beside_Resume_is_refused()
    {
        var data = Blobs(64, 4, 1);
        var past = Assert.Throws<ArgumentException>(() => new Trainer(Mlp(), Options(start: new EpochPosition(3, 1, 0, 64))).Fit(data));
        Assert.Contains("batch 3", past.Message);
        Assert.Throws<ArgumentException>(() => new Trainer(Mlp(), Options("unused", resume: true, start: new EpochPosition(1, 1, 0, 32))).Fit(data));
    }

    private sealed class Watch(int batch, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void OnBatchEnd(in BatchProgress p)
        {
            if (p.Batch == batch) cancel.Cancel();
        }
    }
}
