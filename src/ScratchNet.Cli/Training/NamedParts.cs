using ScratchNet.Layers;
using ScratchNet.Layers.Activations;
using ScratchNet.Layers.Initializers;
using ScratchNet.Optimizers;
using ScratchNet.Training.Schedules;

namespace ScratchNet.Cli.Training;

/// <summary>The activations, optimizers and schedules the command line knows by name.</summary>
public static class NamedParts
{
    /// <summary>--activation values.</summary>
    public static readonly string[] Activations = ["relu", "tanh", "sigmoid", "gelu", "elu", "leaky-relu"];

    /// <summary>--optimizer values.</summary>
    public static readonly string[] Optimizers = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];

    /// <summary>--schedule values.</summary>
    public static readonly string[] Schedules = ["constant", "step", "exponential", "cosine", "plateau"];

    /// <summary>A new activation layer.</summary>
    public static Layer Activation(string name) => name switch
    {
        "relu" => new ReLU(),
        "tanh" => new Tanh(),
        "sigmoid" => new Sigmoid(),
        "gelu" => new GELU(),
        "elu" => new ELU(),
        "leaky-relu" => new LeakyReLU(),
        _ => throw new CliError($"unknown activation '{name}'; valid: {string.Join(", ", Activations)}"),
    };

    /// <summary>The weight initialiser that keeps the variance of <paramref name="activation"/>'s outputs steady.</summary>
    public static Initializer InitializerFor(string activation) =>
        activation is "tanh" or "sigmoid" ? new XavierUniform() : new HeUniform();

    /// <summary>The learning rate an optimizer gets when --lr is not given.</summary>
    public static double DefaultLearningRate(string optimizer) => optimizer switch
    {
        "sgd" or "momentum" or "nesterov" or "adagrad" => 0.01,
        _ => 1e-3,
    };

    /// <summary>A new optimizer. <paramref name="weightDecay"/> is AdamW's own decay (null = its default).</summary>
    public static Optimizer Optimizer(string name, float learningRate, float? momentum, float? weightDecay) => name switch
    {
        "sgd" => new Sgd(learningRate),
        "momentum" => new Momentum(learningRate, momentum ?? 0.9f),
        "nesterov" => new Momentum(learningRate, momentum ?? 0.9f, nesterov: true),
        "adagrad" => new AdaGrad(learningRate),
        "rmsprop" => new RmsProp(learningRate),
        "adam" => new Adam(learningRate),
        "adamw" => weightDecay is float wd ? new AdamW(learningRate, weightDecay: wd) : new AdamW(learningRate),
        _ => throw new CliError($"unknown optimizer '{name}'; valid: {string.Join(", ", Optimizers)}"),
    };

    /// <summary>The command-line name of an optimizer instance ("Adam" → "adam").</summary>
    public static string NameOf(Optimizer optimizer) => optimizer.Name.ToLowerInvariant() switch
    {
        "rmsprop" => "rmsprop",
        var n => n,
    };

    /// <summary>A new schedule for a run of <paramref name="epochs"/> epochs.</summary>
    public static LearningRateSchedule? Schedule(RunSettings s, int epochs) => s.Schedule switch
    {
        null or "constant" => null,
        "step" => new StepDecaySchedule(s.StepSize ?? Math.Max(1, epochs / 3), (float)(s.Gamma ?? 0.1)),
        "exponential" => new ExponentialSchedule((float)(s.Gamma ?? 0.95)),
        "cosine" => new CosineAnnealingSchedule(epochs, (float)Math.Min(s.Warmup ?? 0, Math.Max(0, epochs - 1)), (float)(s.MinLearningRate ?? 0)),
        "plateau" => new ReduceOnPlateauSchedule((float)(s.Gamma ?? 0.1), s.PlateauPatience ?? 5, minRate: (float)(s.MinLearningRate ?? 0)),
        var other => throw new CliError($"unknown schedule '{other}'; valid: {string.Join(", ", Schedules)}"),
    };
}
