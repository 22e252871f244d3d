using ScratchNet.Data;

namespace ScratchNet.Training.Presets;

public static partial class PresetCatalog
{
    /// <summary>
    /// tv-marketing: linear regression as one neuron. Sales = w·z + b with z the standardised TV
    /// budget, mean squared error, full-batch gradient descent (η = 0.1, 200 epochs). Undoing the
    /// standardisation gives Sales = (b - w μ/σ) + (w/σ)·TV, the least-squares line
    /// 7.0326 + 0.047537·TV. All 200 markets are both training and test set.
    /// </summary>
    public static Recipe TvMarketing { get; } = new()
    {
        Name = "tv-marketing",
        Description = "Sales ~ TV: one neuron, MSE, full-batch gradient descent on standardised TV",
        Data = new DataRecipe
        {
            Dataset = "tv-marketing", Target = "Sales", Features = ["TV"], Task = "regression",
            Standardize = StandardizeMode.ZScore, TestFraction = 0,
        },
        Model = new MlpRecipe(),
        Loss = "MeanSquaredError",
        Optimizer = new OptimizerRecipe { Name = "sgd", LearningRate = 0.1 },
        Epochs = 200,
        BatchSize = int.MaxValue,
    };

    /// <summary>
    /// xor: the four points of the truth table (the xor-table dataset), as both training and test set.
    /// 2-4-1: tanh hidden layer (Glorot-uniform weights), one logit out, sigmoid cross-entropy
    /// (fused), full-batch gradient descent with momentum (η = 0.3, μ = 0.9), 400 epochs. Class 1 when
    /// the logit ≥ 0. Measured over seeds 1..300: 299 solved (Adam η = 0.05 for 300 epochs: 294).
    /// </summary>
    public static Recipe Xor { get; } = new()
    {
        Name = "xor",
        Description = "XOR's four points: 2-4-1, tanh, logistic output, gradient descent with momentum",
        Data = new DataRecipe { Dataset = "xor-table" },
        Model = new MlpRecipe { Hidden = [4], Activation = "tanh" },
        Loss = "BinaryCrossEntropyWithLogits",
        Optimizer = new OptimizerRecipe { Name = "momentum", LearningRate = 0.3, Momentum = 0.9 },
        Epochs = 400,
        BatchSize = 4,
        BinaryThreshold = 0f,
        GoalAccuracy = 1.0,
    };

    /// <summary>spirals: three interleaved arms, 2-64-64-3 tanh MLP, Adam 0.01, batch 32, 100 epochs. Goal: ≥ 95 %.</summary>
    public static Recipe Spirals { get; } = Synthetic("spirals", "three interleaved spiral arms", [64, 64], classes: 3, epochs: 100, goal: 0.95);

    /// <summary>circles: a ring around a disc, 2-16-16-2 tanh MLP, Adam 0.01, batch 32, 40 epochs. Goal: ≥ 98 %.</summary>
    public static Recipe Circles { get; } = Synthetic("circles", "a ring around a disc", [16, 16], classes: 2, epochs: 40, goal: 0.98);

    /// <summary>moons: two interleaved half-moons, 2-16-16-2 tanh MLP, Adam 0.01, batch 32, 40 epochs. Goal: ≥ 97 %.</summary>
    public static Recipe Moons { get; } = Synthetic("moons", "two interleaved half-moons", [16, 16], classes: 2, epochs: 40, goal: 0.97);

    private static Recipe Synthetic(string dataset, string what, int[] hidden, int classes, int epochs, double goal) => new()
    {
        Name = dataset,
        Description = $"{dataset} ({what}): 2-{string.Join('-', hidden)}-{classes} tanh MLP, softmax cross-entropy, Adam 0.01, batch 32, {epochs} epochs",
        Data = new DataRecipe { Dataset = dataset },
        Model = new MlpRecipe { Hidden = hidden, Activation = "tanh" },
        Loss = "SoftmaxCrossEntropy",
        Optimizer = new OptimizerRecipe { Name = "adam", LearningRate = 0.01 },
        Epochs = epochs,
        BatchSize = 32,
        GoalAccuracy = goal,
    };
}
