using ScratchNet.Data;
using ScratchNet.Gpu;
using ScratchNet.Gpu.Training;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Training;
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// Convolutional networks trained on ILGPU's CPU accelerator through <see cref="Trainer.Fit"/> with the
/// device engine, against the host path: a small CNN with every layer the device runs (random shifts,
/// a first convolution that skips dL/dx, padding, stride, max pooling, dropout) on odd sizes; the same
/// bits run after run; a run stopped mid-epoch and resumed equal to one that never stopped (the layers'
/// generators included); mnist-cnn on a few images.
/// </summary>
public class GpuCnnTrainingTests
{
    /// <summary>n images of 1×7×7: class c has a bright 2×2 patch at its own place, on noise.</summary>
    private static InMemoryDataset Images(int n, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, 1, 7, 7);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            int c = i % classes;
            y.Span[i] = c;
            for (int p = 0; p < 49; p++) x.Span[i * 49 + p] = 0.5f * rng.NextFloat();
            for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++) x.Span[i * 49 + (1 + 2 * c + dy) * 7 + 1 + 2 * c + dx] += 1f;
        }
        return new InMemoryDataset("patches", x, y, classes);
    }

    // 7×7 → shift → conv 3×3 pad 1 (3 filters) 7×7 → ReLU → pool 2 → 3×3 → conv 2×2 stride 1 (4 filters) 2×2
    // → Tanh → dropout → flatten 16 → dense 5 → ReLU → dropout → dense 3.
    private static Sequential SmallCnn() => new(
        new RandomShift2D(1),
        new Conv2D(3, 3, padding: 1) { ComputeInputGradient = false },
        new ReLU(),
        new MaxPool2D(2),
        new Conv2D(4, 2),
        new Tanh(),
        new Dropout(0.2f),
        new Flatten(),
        new Dense(5),
        new ReLU(),
        new Dropout(0.3f),
        new Dense(3));

    // 23 samples in batches of 5: four of 5 and a last one of 3.
    private static TrainerOptions Options(IStepEngineFactory? engine, int epochs = 2, string? dir = null, bool resume = false) => new()
    {
        Loss = new SoftmaxCrossEntropy(),
        Optimizer = new Adam(0.01f),
        Epochs = epochs,
        BatchSize = 5,
        Seed = 4,
        Engine = engine,
        CheckpointDir = dir,
        Resume = resume,
    };

    private static int[] Bits(Sequential model) =>
        model.Parameters.SelectMany(p => p.Value.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static readonly IStepEngineFactory Accelerator = GpuEngines.For(GpuDevice.CpuAccelerator);

    [Fact]
    public void TenStepsOfASmallCnnOnTheDeviceMatchTheHost()
    {
        var data = Images(23, 3, seed: 5);
        var host = SmallCnn();
        var hostHistory = new Trainer(host, Options(null)).Fit(data);
        var device = SmallCnn();
        var deviceHistory = new Trainer(device, Options(Accelerator)).Fit(data);

        // The shifts and dropout masks are the same draws (the host draws them for the device), so the two
        // differ only by the order of each sum: the device's convolution sums its terms one by one, the
        // host's in im2col panels with fused multiply-adds. As for the MLP (docs/GPU.md), 1e-4 after ten
        // Adam steps is far above that and far below a wrong index, tap, bias or mask (1e-3 and more).
        for (int p = 0; p < host.Parameters.Count; p++)
        {
            var want = host.Parameters[p].Value.Span;
            var got = device.Parameters[p].Value.Span;
            for (int i = 0; i < want.Length; i++)
                Assert.False(!(Math.Abs(want[i] - got[i]) <= 1e-4f), $"parameter {p} ({host.Parameters[p].Name})[{i}]: device {got[i]:R}, host {want[i]:R}");
        }
        for (int e = 0; e < hostHistory.Epochs.Count; e++)
        {
            Assert.Equal(hostHistory.Epochs[e].TrainLoss, deviceHistory.Epochs[e].TrainLoss, 1e-5);
            Assert.Equal(hostHistory.Epochs[e].TrainAccuracy, deviceHistory.Epochs[e].TrainAccuracy, 1e-12);
        }
        // The layers' generators walked alike: the next draws are the same.
        Assert.Equal(((RandomShift2D)host.Layers[0]).Rng.GetState(), ((RandomShift2D)device.Layers[0]).Rng.GetState());
        Assert.Equal(((Dropout)host.Layers[10]).Rng.GetState(), ((Dropout)device.Layers[10]).Rng.GetState());
    }

    [Fact]
    public void TheSameSeedGivesTheSameBitsOnTheDevice()
    {
        var data = Images(23, 3, seed: 5);
        var a = SmallCnn();
        var historyA = new Trainer(a, Options(Accelerator)).Fit(data);
        var b = SmallCnn();
        var historyB = new Trainer(b, Options(Accelerator)).Fit(data);
        Assert.Equal(Bits(a), Bits(b));
        Assert.Equal(historyA.Epochs.Select(e => e.TrainLoss), historyB.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public void StoppedMidEpochOnTheDeviceThenResumedMatchesAStraightRun()
    {
        var data = Images(23, 3, seed: 5);
        var whole = SmallCnn();
        var wholeHistory = new Trainer(whole, Options(Accelerator, epochs: 3)).Fit(data);

        string dir = Directory.CreateTempSubdirectory("scratchnet-gpucnn-").FullName;
        try
        {
            var e = Assert.Throws<TrainingInterruptedException>(() => new Trainer(SmallCnn(), Options(Accelerator, epochs: 3, dir)).Fit(data, new StopAt(2, 3)));
            Assert.Equal(3, e.Position.Batch);
            // The checkpoint holds the device's parameters, optimizer state and step count.
            Assert.Equal(5 + 3, Checkpoint.Load(dir).OptimizerStepCount);

            var resumed = SmallCnn();
            var history = new Trainer(resumed, Options(Accelerator, epochs: 3, dir, resume: true)).Fit(data);
            Assert.Equal(3, history.Epochs.Count);
            Assert.Equal(Bits(whole), Bits(resumed));
            Assert.Equal(wholeHistory.Epochs.Select(m => m.TrainLoss), history.Epochs.Select(m => m.TrainLoss));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void ALayerTheDeviceDoesNotRunIsRefusedByName()
    {
        var model = new Sequential(new Conv2D(2, 3), new ReLU(), new Flatten(), new LayerNorm(), new Dense(3));
        var trainer = new Trainer(model, Options(Accelerator));
        var e = Assert.Throws<ArgumentException>(() => trainer.Prepare(Images(10, 3, seed: 1)));
        Assert.Contains("LayerNorm layers", e.Message);
        Assert.Contains("layer 4", e.Message);
        Assert.Contains("cpu-accelerator", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MnistCnnOnAFewImagesMatchesTheCpu()
    {
        // The preset as `scratchnet train mnist-cnn --device cpu-accelerator` runs it (random shifts, the
        // (1, 28, 28) images, Adam with the cosine), on the first 48 training images in batches of 16:
        // three steps (a step of 64 costs seconds on the CPU accelerator).
        var recipe = PresetCatalog.MnistCnn with { Epochs = 1, BatchSize = 16, Data = PresetCatalog.MnistCnn.Data with { TrainLimit = 48, TestLimit = 100 } };
        var cpu = TrainingJob.Run(recipe);
        var device = TrainingJob.Run(recipe with { Device = "cpu-accelerator" }, new TrainingJobOptions { Engines = GpuEngines.For });
        Assert.Equal("cpu-accelerator", device.Device);
        Assert.Equal(cpu.Test.Accuracy, device.Test.Accuracy);
        Assert.Equal(cpu.Test.Loss, device.Test.Loss, 1e-4);
        for (int p = 0; p < cpu.Model.Parameters.Count; p++)
        {
            var want = cpu.Model.Parameters[p].Value.Span;
            var got = device.Model.Parameters[p].Value.Span;
            for (int i = 0; i < want.Length; i++)
                Assert.False(!(Math.Abs(want[i] - got[i]) <= 1e-4f), $"parameter {p}[{i}]: device {got[i]:R}, host {want[i]:R}");
        }
    }
}
