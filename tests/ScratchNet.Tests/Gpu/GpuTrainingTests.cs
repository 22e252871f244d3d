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
using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// Training on ILGPU's CPU accelerator through the one pipeline (<see cref="Trainer.Fit"/> with a
/// device engine) against the host path: the same seed gives the same initial weights and batches, so
/// after a few steps the weights agree to rounding; a device run repeats itself to the bit; a model the
/// device trained is an ordinary model file that evaluates on the CPU.
/// </summary>
public class GpuTrainingTests
{
    private static InMemoryDataset Blobs(int n, int features, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, features);
        var y = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            int c = i % classes;
            y.Span[i] = c;
            for (int f = 0; f < features; f++) x.Span[i * features + f] = (f % classes == c ? 1.5f : 0f) + (2f * rng.NextFloat() - 1f);
        }
        return new InMemoryDataset("blobs", x, y, classes);
    }

    private static Sequential SmallMlp() => new(new Dense(9), new ReLU(), new Dense(6), new Tanh(), new Dense(5), new GELU(), new Dense(3));

    private static (Sequential Model, TrainingHistory History) Train(string optimizer, IStepEngineFactory? engine, int epochs = 2)
    {
        var model = SmallMlp();
        var trainer = new Trainer(model, new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(),
            Optimizer = OptimizerFactory.Create(optimizer, 0.02f),
            Epochs = epochs,
            BatchSize = 7, // 33 samples: four batches of 7 and a last one of 5
            Seed = 3,
            Engine = engine,
        });
        var history = trainer.Fit(Blobs(33, 7, 3, seed: 11));
        return (model, history);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void TenStepsOnTheDeviceMatchTheHost(string optimizer)
    {
        var (host, hostHistory) = Train(optimizer, null);
        var (device, deviceHistory) = Train(optimizer, GpuEngines.For(GpuDevice.CpuAccelerator));

        // The device sums each product's k terms in order in float, the host's GEMM in blocks with fused
        // multiply-adds: one rounding (~6e-8 relative) apart per sum. On mnist-mlp 16 Adam steps left the
        // weights at most 5.0e-6 apart (docs/GPU.md); 1e-4 is far above that and far below what a wrong
        // index, a missed bias or a wrong derivative does (changes of 1e-3 and more after one step).
        for (int p = 0; p < host.Parameters.Count; p++)
        {
            var want = host.Parameters[p].Value.Span;
            var got = device.Parameters[p].Value.Span;
            for (int i = 0; i < want.Length; i++)
                Assert.False(!(Math.Abs(want[i] - got[i]) <= 1e-4f), $"{optimizer}: parameter {p} ({host.Parameters[p].Name})[{i}]: device {got[i]:R}, host {want[i]:R}");
        }
        for (int e = 0; e < hostHistory.Epochs.Count; e++)
        {
            Assert.Equal(hostHistory.Epochs[e].TrainLoss, deviceHistory.Epochs[e].TrainLoss, 1e-5);
            Assert.Equal(hostHistory.Epochs[e].TrainAccuracy, deviceHistory.Epochs[e].TrainAccuracy, 1e-12);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameBitsOnTheDevice()
    {
        var engine = GpuEngines.For(GpuDevice.CpuAccelerator);
        var (a, historyA) = Train("adam", engine);
        var (b, historyB) = Train("adam", engine);
        for (int p = 0; p < a.Parameters.Count; p++)
            Assert.Equal(a.Parameters[p].Value.Span.ToArray(), b.Parameters[p].Value.Span.ToArray());
        Assert.Equal(historyA.Epochs.Select(e => e.TrainLoss), historyB.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public void ADeviceTrainedModelIsAModelFileThatEvaluatesOnTheCpu()
    {
        var recipe = PresetCatalog.Moons with { Epochs = 2, Device = "cpu-accelerator", Data = PresetCatalog.Moons.Data with { Samples = 64 } };
        using var folder = new TempFolder();
        var result = TrainingJob.Run(recipe, new TrainingJobOptions { OutDir = folder.Path, Engines = GpuEngines.For });

        var (model, _) = ModelFile.Load(folder.File(TrainingJob.ModelFileName));
        var again = Evaluation.Evaluate(model, result.Data.Test, new SoftmaxCrossEntropy());
        Assert.Equal(result.Test.Accuracy, again.Accuracy);
        Assert.Equal(result.Test.Loss, again.Loss, 1e-9);
        Assert.Equal("cpu-accelerator", result.Device);
        Assert.Contains("\"device\": \"cpu-accelerator\"", File.ReadAllText(folder.File(TrainingJob.MetricsFileName)));
        // The checkpoint holds the device's optimizer state and step count, as a host run's would.
        var state = Checkpoint.Load(folder.Path);
        Assert.Equal(2L * ((result.TrainingSet.Count + result.BatchSize - 1) / result.BatchSize), state.OptimizerStepCount);
    }

    [Fact]
    public void MnistMlpOnASubsetReachesTheCpuAccuracyWithinPointTwoPoints()
    {
        // The first 2000 training and 2000 test images, 2 epochs of 32 steps: about 15 s on the CPU accelerator.
        var recipe = PresetCatalog.MnistMlp with { Epochs = 2, Data = PresetCatalog.MnistMlp.Data with { TrainLimit = 2000, TestLimit = 2000 } };
        var cpu = TrainingJob.Run(recipe);
        var device = TrainingJob.Run(recipe with { Device = "cpu-accelerator" }, new TrainingJobOptions { Engines = GpuEngines.For });
        Assert.Equal("cpu-accelerator", device.Device);
        Assert.True(cpu.Test.Accuracy > 0.75, $"the CPU run reached {cpu.Test.Accuracy:P2}: the subset should train"); // measured 82.20 %
        Assert.True(Math.Abs(cpu.Test.Accuracy - device.Test.Accuracy) <= 0.002,
            $"test accuracy: CPU {cpu.Test.Accuracy:P2}, CPU accelerator {device.Test.Accuracy:P2}; the issue allows 0.2 points");
    }

    [Fact]
    public void ALayerTheDeviceDoesNotRunIsRefusedInOneLineNamingItAndTheDevice()
    {
        var model = new Sequential(new Dense(8), new LayerNorm(), new ReLU(), new Dense(3));
        var trainer = new Trainer(model, new TrainerOptions { Loss = new SoftmaxCrossEntropy(), Optimizer = new Adam(), Engine = GpuEngines.For(GpuDevice.CpuAccelerator) });
        var e = Assert.Throws<ArgumentException>(() => trainer.Prepare(Blobs(10, 4, 3, seed: 1)));
        Assert.Contains("LayerNorm layers", e.Message);
        Assert.Contains("cpu-accelerator", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CudaWithoutACudaDeviceIsOneLineSayingSo()
    {
        if (ILGPU.Context.Create(b => b.Default()) is var context && ILGPU.Runtime.Cuda.CudaContextExtensions.GetCudaDevices(context).Count > 0)
        {
            context.Dispose();
            using var device = GpuDevice.Open(GpuDevice.Cuda); // a machine with CUDA opens it
            Assert.Equal(GpuDevice.Cuda, device.Kind);
            return;
        }
        context.Dispose();
        var e = Assert.Throws<ArgumentException>(() => GpuEngines.For("cuda"));
        Assert.Contains("no CUDA device", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
