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
using ScratchNet.Tests.Data;
using ScratchNet.Tests.Training;
using ScratchNet.Training;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// Batch normalisation and average pooling trained on ILGPU's CPU accelerator through <see cref="Trainer.Fit"/>,
/// against the host path: the parameters and the running statistics after ten Adam steps, the saved model
/// evaluated on the CPU (inference reads the running statistics the device gathered), and a run stopped
/// mid-epoch and resumed equal to one that never stopped.
/// </summary>
public class GpuBatchNormTrainingTests
{
    private static readonly IStepEngineFactory Accelerator = GpuEngines.For(GpuDevice.CpuAccelerator);

    /// <summary>n rows of 7 features around one of 3 class centres.</summary>
    private static InMemoryDataset Blobs(int n, ulong seed)
    {
        const int features = 7, classes = 3;
        var rng = new Rng(seed);
        var x = new Tensor(n, features);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            int c = i % classes;
            y.Span[i] = c;
            for (int f = 0; f < features; f++) x.Span[i * features + f] = (f % classes == c ? 1.5f : 0f) + 3f * rng.NextFloat() - 1f;
        }
        return new InMemoryDataset("blobs", x, y, classes);
    }

    /// <summary>n images of 1×7×7: class c has a bright 2×2 patch at its own place, on noise.</summary>
    private static InMemoryDataset Images(int n, ulong seed)
    {
        const int classes = 3;
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

    // A layer before batch norm has no bias: batch norm subtracts the batch mean, so that bias's gradient is
    // zero but for rounding, which Adam scales up to steps of η in whichever direction the rounding went on
    // each side (seen: 0.005 on the host, −0.02 on the device after ten steps). It changes nothing the network
    // computes, but would hide everything else from an element-wise comparison.
    // 7 → dense 8 → batch norm → ReLU → dense 6 → batch norm → Tanh → dense 3.
    private static Sequential Mlp() => new(new Dense(8, useBias: false), new BatchNorm(), new ReLU(), new Dense(6, useBias: false), new BatchNorm(momentum: 0.3f), new Tanh(), new Dense(3));

    // Batch norm as the first layer with parameters (the backward pass stops there) over 7 features.
    private static Sequential NormFirst() => new(new BatchNorm(), new Dense(5), new ReLU(), new Dense(3));

    // 1×7×7 → conv 3×3 pad 1 (3 filters, no dL/dx) → BatchNorm2D → ReLU → average pool 2 → 3×3 → conv 2×2 (4 filters)
    // → 2×2 → BatchNorm2D → ReLU → global average → 4 → dense 3.
    private static Sequential Cnn() => new(
        new Conv2D(3, 3, padding: 1, useBias: false) { ComputeInputGradient = false },
        new BatchNorm2D(),
        new ReLU(),
        new AvgPool2D(2),
        new Conv2D(4, 2, useBias: false),
        new BatchNorm2D(momentum: 0.2f),
        new ReLU(),
        new GlobalAveragePool(),
        new Dense(3));

    // An overlapping average pool (size 3, stride 2) then Flatten into a dense layer.
    private static Sequential CnnOverlapping() => new(
        new Conv2D(2, 3, padding: 1, useBias: false) { ComputeInputGradient = false },
        new BatchNorm2D(),
        new Tanh(),
        new AvgPool2D(3, 2),
        new Flatten(),
        new Dense(3));

    private static Sequential Model(string name) => name switch
    {
        "mlp" => Mlp(),
        "norm-first" => NormFirst(),
        "cnn" => Cnn(),
        _ => CnnOverlapping(),
    };

    // The MLP sets: 21 rows in batches of 5, the last of one row (batch norm's σ² = 0 there, as on the host);
    // the image sets: 23 images in batches of 5, the last of 3.
    private static InMemoryDataset Data(string name) => name is "mlp" or "norm-first" ? Blobs(21, seed: 11) : Images(23, seed: 5);

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

    /// <summary>Every parameter, then every running statistic, of <paramref name="model"/>, by name.</summary>
    private static List<(string Name, float[] Values)> State(Sequential model) =>
        model.Parameters.Select((p, i) => ($"parameter {i} ({p.Name})", p.Value.ToArray()))
            .Concat(model.NamedLayers.SelectMany(l => l.Layer.Buffers.Select(b => ($"{l.Path}.{b.Name}", b.Value.ToArray()))))
            .ToList();

    private static int[] Bits(Sequential model) =>
        State(model).SelectMany(s => s.Values).Select(BitConverter.SingleToInt32Bits).ToArray();

    [Theory]
    [InlineData("mlp")]
    [InlineData("norm-first")]
    [InlineData("cnn")]
    [InlineData("cnn-overlapping")]
    public void TenStepsOnTheDeviceMatchTheHostParametersAndRunningStatistics(string name)
    {
        var data = Data(name);
        var host = Model(name);
        var hostHistory = new Trainer(host, Options(null)).Fit(data);
        var device = Model(name);
        var deviceHistory = new Trainer(device, Options(Accelerator)).Fit(data);

        // Batch norm's sums are in double on both sides, in the same order; the two differ by the products and
        // convolutions (summed differently, docs/GPU.md) and by where x̂ is rounded to float (the host's
        // BatchNorm2D rounds μ and 1/√(σ² + ε) first). After ten Adam steps the four models were at most 1.8e-7
        // apart (parameters) and 1.2e-7 (running statistics); 1e-5 leaves room for another machine's rounding
        // and is far below what a wrong channel, a missed running update or a wrong gradient term does (1e-3 and more).
        var want = State(host);
        var got = State(device);
        Assert.Equal(want.Select(s => s.Name), got.Select(s => s.Name));
        Assert.Contains(want, s => s.Name.EndsWith("running_var", StringComparison.Ordinal));
        for (int s = 0; s < want.Count; s++)
            for (int i = 0; i < want[s].Values.Length; i++)
                Assert.False(!(Math.Abs(want[s].Values[i] - got[s].Values[i]) <= 1e-5f), $"{name}: {want[s].Name}[{i}]: device {got[s].Values[i]:R}, host {want[s].Values[i]:R}");
        for (int e = 0; e < hostHistory.Epochs.Count; e++)
        {
            Assert.Equal(hostHistory.Epochs[e].TrainLoss, deviceHistory.Epochs[e].TrainLoss, 1e-5);
            Assert.Equal(hostHistory.Epochs[e].TrainAccuracy, deviceHistory.Epochs[e].TrainAccuracy, 1e-12);
        }

        // The running statistics moved (ten updates from 0 and 1) and came back from the device.
        var runningMean = got.First(s => s.Name.EndsWith("running_mean", StringComparison.Ordinal)).Values;
        Assert.Contains(runningMean, v => Math.Abs(v) > 1e-3f);

        // The saved model evaluates on the CPU in inference mode, from those statistics, as the host-trained one.
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        ModelFile.Save(path, device);
        var (loaded, _) = ModelFile.Load(path);
        Assert.Equal(Bits(device), Bits(loaded));
        var hostEval = Evaluation.Evaluate(host, data, new SoftmaxCrossEntropy());
        var deviceEval = Evaluation.Evaluate(loaded, data, new SoftmaxCrossEntropy());
        Assert.Equal(hostEval.Accuracy, deviceEval.Accuracy);
        Assert.Equal(hostEval.Loss, deviceEval.Loss, 1e-4);
    }

    [Fact]
    public void TheSameSeedGivesTheSameBitsOnTheDevice()
    {
        var data = Images(23, seed: 5);
        var a = Cnn();
        var historyA = new Trainer(a, Options(Accelerator)).Fit(data);
        var b = Cnn();
        var historyB = new Trainer(b, Options(Accelerator)).Fit(data);
        Assert.Equal(Bits(a), Bits(b));
        Assert.Equal(historyA.Epochs.Select(e => e.TrainLoss), historyB.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public void StoppedMidEpochThenResumedMatchesAStraightRunRunningStatisticsIncluded()
    {
        // The checkpoint takes the running statistics from the host layers (CopyToHost wrote them there), and
        // the resumed engine loads them back onto the device: a miss either way changes the bits.
        var data = Images(23, seed: 5);
        var whole = Cnn();
        new Trainer(whole, Options(Accelerator, epochs: 3)).Fit(data);

        using var folder = new TempFolder();
        Assert.Throws<TrainingInterruptedException>(() => new Trainer(Cnn(), Options(Accelerator, epochs: 3, folder.Path)).Fit(data, new StopAt(2, 3)));
        var resumed = Cnn();
        new Trainer(resumed, Options(Accelerator, epochs: 3, folder.Path, resume: true)).Fit(data);
        Assert.Equal(Bits(whole), Bits(resumed));
    }

    [Fact]
    public void BatchNorm2DOnOneValuePerChannelIsRefusedAsOnTheHost()
    {
        // A 1×1 image in a last batch of one row: the host layer refuses to train on it; so does the device.
        var x = new Tensor(6, 2, 1, 1);
        for (int i = 0; i < x.Length; i++) x.Span[i] = i % 3;
        var y = Tensor.FromArray([0f, 1f, 0f, 1f, 0f, 1f], 6);
        var data = new InMemoryDataset("dots", x, y, 2);
        var e = Assert.ThrowsAny<Exception>(() => new Trainer(new Sequential(new BatchNorm2D(), new Flatten(), new Dense(2)), Options(Accelerator, epochs: 1)).Fit(data));
        var hostError = Assert.ThrowsAny<Exception>(() => new Trainer(new Sequential(new BatchNorm2D(), new Flatten(), new Dense(2)), Options(null, epochs: 1)).Fit(data));
        Assert.Contains("at least 2 values per channel", e.Message);
        Assert.Contains("at least 2 values per channel", hostError.Message);
    }
}
