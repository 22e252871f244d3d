using ScratchNet.Data;
using ScratchNet.Gpu;
using ScratchNet.Gpu.Training;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;
using ScratchNet.Training;

namespace ScratchNet.Tests.Gpu;

/// <summary>
/// The trainer's L1 and L2 penalties, decoupled weight decay and gradient clipping by global norm on ILGPU's
/// CPU accelerator against the host path (<c>CpuStepEngine</c>: penalty gradients, decay, clipping, then
/// the optimizer), on an MLP whose biases and batch norm γ and β must not decay.
/// </summary>
public class GpuRegularizationTests
{
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

    // Batch norm first: after a layer, it would make that layer's biases (or, behind a ReLU active on the
    // whole batch, the biases before it) directions the loss does not depend on, whose gradients are rounding
    // noise that Adam scales up to steps of η (GpuBatchNormTrainingTests).
    private static Sequential Mlp() => new(new BatchNorm(), new Dense(9), new ReLU(), new Dense(6), new Tanh(), new Dense(3));

    private static (Sequential Model, TrainingHistory History) Train(string optimizer, Regularization? regularization, float? clip, IStepEngineFactory? engine)
    {
        var model = Mlp();
        var history = new Trainer(model, new TrainerOptions
        {
            Loss = new SoftmaxCrossEntropy(),
            Optimizer = OptimizerFactory.Create(optimizer, 0.05f),
            Epochs = 2,
            BatchSize = 7, // 33 rows: four batches of 7 and one of 5
            Seed = 3,
            Engine = engine,
            Regularization = regularization,
            ClipGradientNorm = clip,
        }).Fit(Blobs(33, seed: 11));
        return (model, history);
    }

    public static TheoryData<string, string> Cases() => new()
    {
        // (optimizer, what is switched on)
        { "sgd", "l2" },
        { "adam", "l1+l2" },
        { "adamw", "decay" },      // AdamW's own decay and the trainer's, both
        { "sgd", "clip" },
        { "adam", "l2+decay+clip" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TenStepsMatchTheHost(string optimizer, string what)
    {
        var regularization = new Regularization
        {
            L1 = what.Contains("l1") ? 0.01f : 0f,
            L2 = what.Contains("l2") ? 0.1f : 0f,
            DecoupledWeightDecay = what.Contains("decay") ? 0.5f : 0f,
        };
        // 0.05 is below the gradient's norm at every step of these runs, so every step is clipped.
        float? clip = what.Contains("clip") ? 0.05f : null;
        var (host, hostHistory) = Train(optimizer, regularization.IsEmpty ? null : regularization, clip, null);
        var (device, deviceHistory) = Train(optimizer, regularization.IsEmpty ? null : regularization, clip, GpuEngines.For(GpuDevice.CpuAccelerator));
        var (plain, _) = Train(optimizer, null, null, null);

        // The sums in another order: these runs were at most 1.8e-7 apart; 1e-5 leaves room for another machine's
        // rounding and is far below a missed or doubled term (1e-3 and more after ten steps).
        for (int p = 0; p < host.Parameters.Count; p++)
        {
            var want = host.Parameters[p].Value.Span;
            var got = device.Parameters[p].Value.Span;
            for (int i = 0; i < want.Length; i++)
                Assert.False(!(Math.Abs(want[i] - got[i]) <= 1e-5f), $"{optimizer} {what}: parameter {p} ({host.Parameters[p].Name})[{i}]: device {got[i]:R}, host {want[i]:R}");
        }
        // The reported loss includes the penalty on both sides.
        for (int e = 0; e < hostHistory.Epochs.Count; e++)
            Assert.Equal(hostHistory.Epochs[e].TrainLoss, deviceHistory.Epochs[e].TrainLoss, 1e-5);
        // And the setting did something: the weights are not those of a run without it.
        float moved = host.Parameters.Zip(plain.Parameters).Max(t => t.First.Value.ToArray().Zip(t.Second.Value.ToArray()).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(moved > 1e-3f, $"{optimizer} {what}: the weights moved only {moved} from an unregularised run");
    }
}
