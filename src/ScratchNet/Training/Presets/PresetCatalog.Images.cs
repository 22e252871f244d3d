using ScratchNet.Data;
using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Training.Presets;

public static partial class PresetCatalog
{
    /// <summary>
    /// mnist-mlp: 784-256-128-10, ReLU, He-uniform weights, softmax cross-entropy, Adam η = 1e-3,
    /// batch 64, 10 epochs. Pixels are x/255 in [0, 1], then standardised with the dataset's pixel
    /// mean and standard deviation (MNIST 0.1307 and 0.3081; Fashion-MNIST 0.2860 and 0.3530), as
    /// torchvision's usual Normalize. Goal: ≥ 98.0 % test accuracy.
    /// </summary>
    public static Preset MnistMlp { get; } = ImageMlp("mnist-mlp", "mnist", plus: false, goal: 0.980);

    /// <summary>fashion-mlp: the mnist-mlp recipe on Fashion-MNIST. Goal: ≥ 89.0 %.</summary>
    public static Preset FashionMlp { get; } = ImageMlp("fashion-mlp", "fashion-mnist", plus: false, goal: 0.890);

    /// <summary>
    /// mnist-mlp-plus: the same 784-256-128-10 network with dropout 0.2 after each hidden layer,
    /// Adam η = 1e-3 with one epoch of linear warm-up and cosine annealing to 0 over 20 epochs,
    /// batch 64. Goal: ≥ 98.4 %.
    /// </summary>
    public static Preset MnistMlpPlus { get; } = ImageMlp("mnist-mlp-plus", "mnist", plus: true, goal: 0.984);

    /// <summary>fashion-mlp-plus: the mnist-mlp-plus recipe on Fashion-MNIST. Goal: ≥ 90.0 %.</summary>
    public static Preset FashionMlpPlus { get; } = ImageMlp("fashion-mlp-plus", "fashion-mnist", plus: true, goal: 0.900);

    private static Preset ImageMlp(string name, string dataset, bool plus, double goal) => new()
    {
        Name = name,
        Description = plus
            ? $"{dataset}: 784-256-128-10 ReLU MLP with dropout 0.2, Adam 1e-3, warm-up + cosine, batch 64, 20 epochs"
            : $"{dataset}: 784-256-128-10 ReLU MLP, softmax cross-entropy, Adam 1e-3, batch 64, 10 epochs",
        Dataset = dataset,
        ModelDescription = plus ? "784-256-128-10, ReLU, dropout 0.2" : "784-256-128-10, ReLU",
        Epochs = plus ? 20 : 10,
        BatchSize = 64,
        CreateModel = () => plus
            ? new Sequential(new Dense(256, new HeUniform()), new ReLU(), new Dropout(0.2f),
                             new Dense(128, new HeUniform()), new ReLU(), new Dropout(0.2f),
                             new Dense(10))
            : new Sequential(new Dense(256, new HeUniform()), new ReLU(),
                             new Dense(128, new HeUniform()), new ReLU(),
                             new Dense(10)),
        CreateLoss = () => new SoftmaxCrossEntropy(),
        CreateOptimizer = () => new Adam(1e-3f),
        CreateSchedule = epochs => plus ? new CosineAnnealingSchedule(epochs, warmupEpochs: Math.Min(1, epochs - 1)) : null,
        GoalAccuracy = goal,
        LoadData = (manager, seed) =>
        {
            var data = manager.Load(dataset, new DatasetLoadOptions { Seed = seed });
            // z = (x - μ) / σ with the pixel mean and standard deviation of the training images
            // (x in [0, 1]), the same for every pixel; stored in the model file as preprocessing.
            var (mean, std) = dataset == "mnist" ? (0.1307f, 0.3081f) : (0.2860f, 0.3530f);
            int features = data.Train.SampleShape.Aggregate(1, (a, b) => a * b);
            var standardizer = new Standardizer(StandardizeMode.ZScore, Enumerable.Repeat(mean, features).ToArray(), Enumerable.Repeat(std, features).ToArray());
            return data with
            {
                Train = new StandardizedDataset(data.Train, standardizer),
                Test = new StandardizedDataset(data.Test, standardizer),
                Standardizer = standardizer,
            };
        },
    };
}
