using ScratchNet.Data;
using ScratchNet.Gpu.Kernels;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training;

namespace ScratchNet.Gpu.Training;

/// <summary>
/// The step engines of ScratchNet.Gpu, by device name, for <c>TrainingJobOptions.Engines</c> and
/// <c>TrainerOptions.Engine</c>:
/// <code>
/// using var job = TrainingJob.Create(PresetCatalog.MnistMlp with { Device = "cuda" }, new TrainingJobOptions { Engines = GpuEngines.For });
/// </code>
/// A device trains a <see cref="Sequential"/> of Dense, Conv2D, BatchNorm, BatchNorm2D, MaxPool2D, AvgPool2D,
/// GlobalAveragePool, Flatten, Dropout and RandomShift2D layers and the activations ReLU, LeakyReLU, Sigmoid,
/// Tanh, GELU and Identity (so every mlp and cnn preset; batch normalisation trains on the batch's statistics
/// and the running statistics come back with the parameters), with softmax cross-entropy (no class weights) and
/// SGD, Momentum, Nesterov, Adam or AdamW, with or without the trainer's L1 and L2 penalties, decoupled
/// weight decay and gradient clipping by global norm; anything else is refused before training, in one
/// line naming it and the device.
/// </summary>
public sealed class GpuEngines : IStepEngineFactory
{
    private GpuEngines(string device) => Device = device;

    /// <summary>
    /// The engine factory for device <paramref name="device"/> ("cuda" or "cpu-accelerator"). For "cuda",
    /// checks at once that ILGPU finds a CUDA device.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown device, or no CUDA device.</exception>
    public static IStepEngineFactory For(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        using (GpuDevice.Open(device)) { } // an unknown name or a missing CUDA device is refused here, before any data is loaded
        return new GpuEngines(device);
    }

    /// <inheritdoc/>
    public string Device { get; }

    /// <inheritdoc/>
    public void Validate(Model model, TrainerOptions options, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        if (model is not Sequential sequential)
            throw new ArgumentException($"Device '{Device}' trains Sequential models only, not a {model.GetType().Name}: train this model on the cpu.");
        for (int i = 0; i < sequential.Layers.Count; i++)
        {
            var layer = sequential.Layers[i];
            if (layer is Dense or Conv2D or BatchNorm or BatchNorm2D or MaxPool2D or AvgPool2D or GlobalAveragePool or Flatten or Dropout or RandomShift2D || TryKindOf(layer, out _, out _)) continue;
            throw new ArgumentException($"Device '{Device}' does not run {layer.GetType().Name} layers yet (layer {i + 1} of the model); it runs {Layers}: train this model on the cpu.");
        }
        if (options.Loss is not SoftmaxCrossEntropy { ClassWeights: null })
            throw new ArgumentException($"Device '{Device}' trains with softmax cross-entropy without class weights only, not {options.Loss.Name}{(options.Loss is SoftmaxCrossEntropy ? " with class weights" : "")}: train this run on the cpu.");
        if (train.ClassCount < 1)
            throw new ArgumentException($"Device '{Device}' trains classifiers only; '{train.Name}' has a numeric target: train it on the cpu.");
        if (options.Optimizer is not (Sgd or Momentum or Adam or AdamW))
            throw new ArgumentException($"Device '{Device}' has no update for the {options.Optimizer.Name} optimizer (it has sgd, momentum, nesterov, adam and adamw): train this run on the cpu.");
        if (options.StepsPerEpoch is not null)
            throw new ArgumentException($"Device '{Device}' trains epochs that pass over the data, not epochs of steps drawn at random (--steps-per-epoch): train this run on the cpu.");
    }

    /// <inheritdoc/>
    public IStepEngine Create(Model model, TrainerOptions options, Dataset train, int batchSize)
    {
        Validate(model, options, train);
        var sequential = (Sequential)model;
        var device = GpuDevice.Open(Device);
        try
        {
            return new OwningEngine(device, new DeviceStepEngine(device, sequential, options, train, batchSize));
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>The layers a device runs, in words.</summary>
    private const string Layers = "Dense, Conv2D, BatchNorm, BatchNorm2D, MaxPool2D, AvgPool2D, GlobalAveragePool, Flatten, Dropout, RandomShift2D, ReLU, LeakyReLU, Sigmoid, Tanh, GELU and Identity";

    /// <summary>The kernel's activation for <paramref name="layer"/>.</summary>
    internal static (ActivationKind Kind, float Alpha) KindOf(Layer layer) =>
        TryKindOf(layer, out var kind, out float alpha) ? (kind, alpha) : throw new ArgumentException($"{layer.GetType().Name} is not a device activation.");

    private static bool TryKindOf(Layer layer, out ActivationKind kind, out float alpha)
    {
        alpha = 0;
        (kind, bool ok) = layer switch
        {
            ReLU => (ActivationKind.ReLU, true),
            LeakyReLU => (ActivationKind.LeakyReLU, true),
            Sigmoid => (ActivationKind.Sigmoid, true),
            Tanh => (ActivationKind.Tanh, true),
            GELU => (ActivationKind.GELU, true),
            Identity => (ActivationKind.Identity, true),
            _ => (default, false),
        };
        if (layer is LeakyReLU leaky) alpha = leaky.Alpha;
        return ok;
    }

    /// <summary>An engine that also closes the device it opened.</summary>
    private sealed class OwningEngine(GpuDevice device, IStepEngine engine) : IStepEngine
    {
        public string Device => engine.Device;
        public void BeginEpoch(ReadOnlySpan<int> order) => engine.BeginEpoch(order);
        public void Step(int start, int count, float learningRate) => engine.Step(start, count, learningRate);
        public StepOutcome ReadOutcome() => engine.ReadOutcome();
        public void CopyToHost() => engine.CopyToHost();
        public void Dispose()
        {
            engine.Dispose();
            device.Dispose();
        }
    }
}
