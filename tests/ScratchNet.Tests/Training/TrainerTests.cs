using System.Text.Json;
using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;
using ScratchNet.Training.Presets;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Tests.Training;

public class TrainerTests
{
    /// <summary>n samples of d features in [-1, 1); the class is which third of the first feature's range holds the sum.</summary>
    internal static InMemoryDataset Blobs(int n, int d, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, d);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            float s = 0;
            for (int j = 0; j < d; j++) { x[i, j] = rng.NextUniform(-1, 1); s += x[i, j] * (j % 3 - 1); }
            y[i] = s < -0.5f ? 0 : s < 0.5f ? 1 : 2;
        }
        return new InMemoryDataset("blobs", x, y, classCount: 3);
    }

    private static Sequential SmallMlp(float dropout = 0, int hidden = 48) => dropout > 0
        ? new Sequential(new Dense(hidden, new HeUniform()), new ReLU(), new Dropout(dropout), new Dense(24, new HeUniform()), new ReLU(), new Dense(3))
        : new Sequential(new Dense(48, new HeUniform()), new ReLU(), new Dense(24, new HeUniform()), new ReLU(), new Dense(3));

    private static float[] TrainWithThreads(int threads)
    {
        using (Compute.UseThreads(threads))
        {
            // 64 x 256 x 128 = 2^21 multiply-adds per product: large enough for the GEMM to split over threads.
            var model = SmallMlp(dropout: 0.1f, hidden: 128);
            var trainer = new Trainer(model, new TrainerOptions
            {
                Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = 3, BatchSize = 64, Seed = 42,
                ValidationSplit = 0.2, Schedule = new CosineAnnealingSchedule(3, 0.5f),
                Regularization = new Regularization { L2 = 1e-4f },
            });
            trainer.Fit(Blobs(340, 256, 3));
            return model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        }
    }

    [Fact]
    public void Same_seed_gives_identical_weights_with_1_and_2_threads()
    {
        float[] one = TrainWithThreads(1), two = TrainWithThreads(2), again = TrainWithThreads(1);
        Assert.Equal(one, again);
        Assert.Equal(one, two);
    }

    [Fact]
    public void Epochs_one_at_a_time_give_the_same_bits_and_history_as_Fit()
    {
        static Trainer Make(Sequential model, InMemoryDataset test) => new(model, new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = 4, BatchSize = 16, Seed = 7,
            Test = test, Regularization = new Regularization { L1 = 1e-4f },
        });
        var train = Blobs(97, 5, 1);
        var test = Blobs(31, 5, 2);
        var whole = SmallMlp();
        var fitted = Make(whole, test).Fit(train);

        var stepped = SmallMlp();
        var history = new TrainingHistory();
        var trainer = Make(stepped, test);
        using var epochs = trainer.Epochs(train, history).GetEnumerator();
        Assert.Empty(history.Epochs); // nothing runs before the first MoveNext
        for (int e = 1; e <= 4; e++)
        {
            Assert.True(epochs.MoveNext());
            Assert.Equal(e, epochs.Current.Epoch);
            Assert.Equal(e, history.Epochs.Count);
        }
        Assert.False(epochs.MoveNext());
        Assert.Equal(fitted.Epochs.Select(m => (m.TrainLoss, m.TestLoss, m.TestAccuracy)), history.Epochs.Select(m => (m.TrainLoss, m.TestLoss, m.TestAccuracy)));
        Assert.Equal(whole.Parameters.SelectMany(p => p.Value.ToArray()), stepped.Parameters.SelectMany(p => p.Value.ToArray()));
        Assert.All(history.Epochs, m => Assert.True(m.CpuSeconds >= 0, "the desktop has process statistics: CPU seconds are measured"));
    }

    [Fact]
    public void Training_learns_and_reports_every_epoch()
    {
        var data = Blobs(400, 10, 1);
        var epochs = new List<EpochMetrics>();
        int batchEnds = 0;
        var observer = new Recorder(m => epochs.Add(m), () => batchEnds++);
        var model = SmallMlp();
        var history = new Trainer(model, new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(1e-2f), Epochs = 15, BatchSize = 32, Seed = 7, Test = Blobs(200, 10, 2),
        }).Fit(data, observer);
        Assert.Equal(15, history.Epochs.Count);
        Assert.Equal(15, epochs.Count);
        Assert.Equal(15 * 13, batchEnds);          // 400 / 32 = 12 full batches and one of 16
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[^1].TestAccuracy > 0.85, $"test accuracy {history.Epochs[^1].TestAccuracy}");
        var eval = Evaluation.Evaluate(model, Blobs(200, 10, 2), new SoftmaxCrossEntropy());
        Assert.Equal(history.Epochs[^1].TestAccuracy, eval.Accuracy);
        Assert.Equal(200, eval.Confusion!.Total);
        Assert.Equal(eval.Accuracy, Enumerable.Range(0, 3).Sum(c => eval.Confusion[c, c]) / 200.0);
        Assert.Equal(eval.Predictions, Evaluation.PredictClasses(model, Blobs(200, 10, 2), batchSize: 7));
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights()
    {
        // Train y = 2x but validate on y = x: from w = 0, gradient descent walks w towards 2, so the
        // validation loss falls until w passes 1 and then rises. Early stopping must end the run and
        // put back the weight of the epoch with the lowest validation loss.
        var x = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => i / 10f - 1f).ToArray(), 20, 1);
        var train = new InMemoryDataset("2x", x, Tensor.FromArray(x.ToArray().Select(v => 2 * v).ToArray(), 20, 1), 0);
        var validation = new InMemoryDataset("x", x, x.Clone(), 0);
        var model = new Sequential(new Dense(1, useBias: false)).Build([1], 1);
        var weight = ((Dense)model.Layers[0]).Weight.Value;
        weight[0] = 0;
        var weightsPerEpoch = new List<float>();
        var history = new Trainer(model, new TrainerOptions
        {
            Loss = new MeanSquaredError(), Optimizer = new Sgd(0.05f), Epochs = 100, BatchSize = 20, Seed = 1,
            Validation = validation, EarlyStopping = new EarlyStopping { Patience = 3 },
        }).Fit(train, new Recorder(_ => weightsPerEpoch.Add(weight[0]), () => { }));
        Assert.True(history.StoppedEarly);
        Assert.True(weightsPerEpoch.Count < 100);
        int best = history.BestEpoch;
        Assert.Equal(best, history.FinalWeightsEpoch);
        Assert.Equal(best + 3, history.Epochs.Count);
        Assert.Equal(weightsPerEpoch[best - 1], weight[0]);
        Assert.NotEqual(weightsPerEpoch[^1], weight[0]);
        Assert.InRange(weight[0], 0.8f, 1.2f);
    }

    [Fact]
    public void Diverging_loss_stops_with_epoch_and_batch()
    {
        var data = Blobs(64, 10, 1);
        var trainer = new Trainer(SmallMlp(), new TrainerOptions
        {
            Loss = new MeanSquaredErrorOnClass(), Optimizer = new Sgd(1e6f), Epochs = 5, BatchSize = 16, Seed = 1,
        });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));
        Assert.Contains("epoch", e.Message);
        Assert.Contains("batch", e.Message);
        Assert.Matches("NaN|infinity", e.Message);
    }

    [Fact]
    public void L2_penalty_is_added_to_loss_and_gradient()
    {
        var p = new Parameter("w", Tensor.FromArray([1f, -2f], 2));
        var b = new Parameter("b", Tensor.FromArray([3f], 1)) { Decays = false };
        var reg = new Regularization { L1 = 0.1f, L2 = 0.5f };
        // penalty = 0.1·(1 + 2) + 0.25·(1 + 4) = 0.3 + 1.25 = 1.55 (the bias does not decay)
        Assert.Equal(1.55, reg.Penalty([p, b]), 1e-6);
        reg.AddPenaltyGradients([p, b]);
        // ∇ += 0.1·sign(θ) + 0.5·θ = [0.1 + 0.5, -0.1 - 1] = [0.6, -1.1]
        Assert.Equal([0.6f, -1.1f], p.Gradient.ToArray());
        Assert.Equal(0f, b.Gradient[0]);
    }

    [Fact]
    public void Metrics_json_has_the_required_keys()
    {
        string dir = Directory.CreateTempSubdirectory("scratchnet-metrics-").FullName;
        try
        {
            var result = TrainingJob.Run(PresetCatalog.Xor with { Epochs = 5, Seed = 3 }, new TrainingJobOptions { Threads = 1, OutDir = dir });
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
            var root = doc.RootElement;
            foreach (string key in new[] { "dataset", "model", "parameters", "epochs", "batch_size", "optimizer", "seed", "threads",
                         "epoch_seconds", "train_loss", "test_loss", "test_accuracy", "final_test_accuracy", "peak_working_set_bytes" })
                Assert.True(root.TryGetProperty(key, out _), $"metrics.json lacks '{key}'");
            Assert.Equal(5, root.GetProperty("epoch_seconds").GetArrayLength());
            Assert.Equal(5, root.GetProperty("test_accuracy").GetArrayLength());
            Assert.Equal(17, root.GetProperty("parameters").GetInt32());
            Assert.Equal(1, root.GetProperty("threads").GetInt32());
            Assert.InRange(root.GetProperty("final_test_accuracy").GetDouble(), 0, 1);
            Assert.True(root.GetProperty("peak_working_set_bytes").GetInt64() > 0);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
            Assert.True(File.Exists(result.ModelPath));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Mnist_smoke_on_a_tiny_subset()
    {
        var mlp = PresetCatalog.MnistMlp;
        var result = TrainingJob.Run(mlp with { Epochs = 2, Data = mlp.Data with { TrainLimit = 1000, TestLimit = 500 } });
        Assert.Equal(2, result.History.Epochs.Count);
        Assert.True(result.Test.Accuracy > 0.7, $"accuracy {result.Test.Accuracy}");
        Assert.Equal(10, result.Test.Confusion!.ClassCount);
        Assert.Equal(500, result.Test.Predictions!.Length);
    }

    [Fact]
    public void A_training_step_does_not_allocate()
    {
        // Between the second batch and the last full batch of an epoch nothing may be allocated on the
        // training thread: batch buffers, layer buffers and optimizer state are all reused.
        var data = Blobs(32 * 12, 10, 1);
        long atSecond = 0, atEleventh = 0;
        var observer = new BatchWatcher((epoch, batch) =>
        {
            if (epoch != 2) return;
            if (batch == 2) atSecond = GC.GetAllocatedBytesForCurrentThread();
            if (batch == 11) atEleventh = GC.GetAllocatedBytesForCurrentThread();
        });
        new Trainer(SmallMlp(dropout: 0.1f), new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = new AdamW(1e-3f), Epochs = 2, BatchSize = 32, Seed = 1,
            Schedule = new CosineAnnealingSchedule(2, 0.5f), Regularization = new Regularization { L1 = 1e-5f, L2 = 1e-4f },
        }).Fit(data, observer);
        Assert.True(atSecond > 0);
        Assert.Equal(0, atEleventh - atSecond);
    }

    [Fact]
    public void A_resumed_run_ends_with_the_same_bits_as_an_uninterrupted_one()
    {
        var data = Blobs(200, 12, 4);
        TrainerOptions Options(int epochs, string? dir, bool resume) => new()
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(3e-3f), Epochs = epochs, BatchSize = 32, Seed = 9,
            Schedule = new CosineAnnealingSchedule(4, 0.5f), CheckpointDir = dir, Resume = resume,
        };
        var whole = SmallMlp(dropout: 0.2f);
        var wholeHistory = new Trainer(whole, Options(4, null, false)).Fit(data);

        string dir = Directory.CreateTempSubdirectory("scratchnet-resume-").FullName;
        try
        {
            new Trainer(SmallMlp(dropout: 0.2f), Options(2, dir, false)).Fit(data);
            var resumed = SmallMlp(dropout: 0.2f);
            var history = new Trainer(resumed, Options(4, dir, true)).Fit(data);
            Assert.Equal(4, history.Epochs.Count);
            Assert.Equal(wholeHistory.Epochs[^1].TrainLoss, history.Epochs[^1].TrainLoss);
            Assert.Equal(whole.Parameters.SelectMany(p => p.Value.ToArray()), resumed.Parameters.SelectMany(p => p.Value.ToArray()));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Early_stopping_without_validation_is_refused()
    {
        var trainer = new Trainer(SmallMlp(), new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(), EarlyStopping = new EarlyStopping(),
        });
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs(10, 4, 1)));
        Assert.Contains("validation", e.Message);
    }

    /// <summary>A squared error on the class index read as a number: unbounded, so a huge rate makes it explode.</summary>
    private sealed class MeanSquaredErrorOnClass : Loss
    {
        private Tensor? _grad;

        public override float Forward(Tensor prediction, Tensor target)
        {
            _grad ??= new Tensor(prediction.ShapeArray());
            if (!_grad.SameShape(prediction)) _grad = new Tensor(prediction.ShapeArray());
            int rows = prediction.Rows, cols = prediction.Columns;
            float sum = 0;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    float d = prediction[i, j] - target[i];
                    sum += d * d;
                    _grad[i, j] = 2 * d / (rows * cols);
                }
            return sum / (rows * cols);
        }

        public override Tensor Backward() => _grad!;
    }

    private sealed class BatchWatcher(Action<int, int> onBatch) : ITrainingObserver
    {
        public void OnBatchEnd(in BatchProgress progress) => onBatch(progress.Epoch, progress.Batch);
    }

    private sealed class Recorder(Action<EpochMetrics> onEpoch, Action onBatch) : ITrainingObserver
    {
        public void OnEpochEnd(EpochMetrics metrics) => onEpoch(metrics);
        public void OnBatchEnd(in BatchProgress progress) => onBatch();
    }
}
