namespace ScratchNet.Optimizers;

/// <summary>
/// Creates an optimizer from its name, as written in recipes, checkpoints and on the command line:
/// sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>The names <see cref="Create"/> knows, in display order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];

    /// <summary>
    /// A new optimizer of kind <paramref name="name"/> (case-insensitive) with step size η =
    /// <paramref name="learningRate"/>. <paramref name="momentum"/> is μ of momentum and nesterov (null:
    /// 0.9); <paramref name="weightDecay"/> is AdamW's λ (null: its default 0.01). Every other setting is
    /// the optimizer's default.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name (the message lists the known ones), or a setting given to an optimizer that has no such setting.</exception>
    public static Optimizer Create(string name, float learningRate, float? momentum = null, float? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim().ToLowerInvariant();
        if (momentum is not null && n is not ("momentum" or "nesterov"))
            throw new ArgumentException($"Optimizer '{n}' has no momentum coefficient (momentum and nesterov have one).");
        if (weightDecay is not null && n != "adamw")
            throw new ArgumentException($"Optimizer '{n}' has no weight decay of its own (adamw has one; others take decoupled decay from the trainer's regularisation).");
        return n switch
        {
            "sgd" => new Sgd(learningRate),
            "momentum" => new Momentum(learningRate, momentum ?? 0.9f),
            "nesterov" => new Momentum(learningRate, momentum ?? 0.9f, nesterov: true),
            "adagrad" => new AdaGrad(learningRate),
            "rmsprop" => new RmsProp(learningRate),
            "adam" => new Adam(learningRate),
            "adamw" => weightDecay is float wd ? new AdamW(learningRate, weightDecay: wd) : new AdamW(learningRate),
            _ => throw new ArgumentException($"Unknown optimizer '{TextExcerpt.Of(name ?? "")}'. Known: {string.Join(", ", Names)}."),
        };
    }

    /// <summary>The name <see cref="Create"/> takes for an optimizer of this kind ("Adam" → "adam").</summary>
    public static string NameOf(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.Name.ToLowerInvariant();
    }
}
