using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Optimizers;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training.Presets;

public static partial class PresetCatalog
{
    /// <summary>
    /// mnist-cnn: conv5x5 1→32, ReLU, maxpool 2, conv5x5 32→64, ReLU, maxpool 2, dense 1024→128, ReLU,
    /// dense 128→10 (<see cref="CnnModels.SmallCnn"/>); softmax cross-entropy, Adam η = 1e-3, batch 64,
    /// 5 epochs. Pixels are x/255 in [0, 1] as (1, 28, 28) images. Goal: ≥ 99.2 % test accuracy.
    /// </summary>
    public static Preset MnistCnn { get; } = ImageCnn("mnist-cnn", "mnist", goal: 0.992);

    /// <summary>fashion-cnn: the mnist-cnn recipe on Fashion-MNIST. Goal: ≥ 91.5 %.</summary>
    public static Preset FashionCnn { get; } = ImageCnn("fashion-cnn", "fashion-mnist", goal: 0.915);

    /// <summary>
    /// A CNN preset; <paramref name="maxShift"/> &gt; 0 adds random-shift augmentation (each training
    /// image moved by up to that many pixels, seeded), as <c>CnnModels.SmallCnn(maxShift: 2)</c>.
    /// </summary>
    public static Preset ImageCnn(string name, string dataset, double goal, int maxShift = 0, bool cosine = true, int epochs = 5) => new()
    {
        Name = name,
        Description = $"{dataset}: conv5x5(32)-pool-conv5x5(64)-pool-128-10 ReLU CNN{(maxShift > 0 ? $", random shifts ±{maxShift} px" : "")}, Adam 1e-3{(cosine ? " with cosine decay" : "")}, batch 64, {epochs} epochs",
        Dataset = dataset,
        ModelDescription = "conv5x5 1-32, maxpool 2, conv5x5 32-64, maxpool 2, 1024-128-10, ReLU" + (maxShift > 0 ? $", shift ±{maxShift}" : ""),
        Epochs = epochs,
        BatchSize = CnnModels.BatchSize,
        CreateModel = () => CnnModels.SmallCnn(10, maxShift),
        CreateLoss = () => new SoftmaxCrossEntropy(),
        CreateOptimizer = () => new Adam(CnnModels.LearningRate),
        CreateSchedule = e => cosine ? new CosineAnnealingSchedule(e) : null,
        GoalAccuracy = goal,
        LoadData = (manager, seed) => manager.Load(dataset, new DatasetLoadOptions { Seed = seed, ChannelsFirst = true }),
    };
}
