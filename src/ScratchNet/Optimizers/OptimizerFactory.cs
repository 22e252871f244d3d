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
    /// 0.9); <paramref name="weightDecay"/> is AdamW's λ (null: its default 0.01); <paramref name="beta2"/> is β₂ of adam and
    /// adamw (null: 0.999), <paramref name="beta1"/> their β₁ (null: 0.9). Every other setting is
    /// the optimizer's default.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name (the message lists the known ones), or a setting given to an optimizer that has no such setting.</exception>
    public static Optimizer Create(string name, float learningRate, float? momentum = null, float? weightDecay = null, float? beta2 = null, float? beta1 = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim().ToLowerInvariant();
        if (beta2 is not null && n is not ("adam" or "adamw"))
            throw new ArgumentException($"Optimizer '{n}' has no β₂ (adam and adamw have one).");
        if (beta2 is float b2 && !(b2 > 0 && b2 < 1))
            throw new ArgumentException($"β₂ must be in (0, 1) (got {b2}).");
        if (beta1 is not null && n is not ("adam" or "adamw"))
            throw new ArgumentException($"Optimizer '{n}' has no β₁ (adam and adamw have one).");
        if (beta1 is float b1 && !(b1 >= 0 && b1 < 1))
            throw new ArgumentException($"β₁ must be in [0, 1) (got {b1}).");
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
            "adam" => new Adam(learningRate, beta1: beta1 ?? 0.9f, beta2: beta2 ?? 0.999f),
            "adamw" => new AdamW(learningRate, beta1: beta1 ?? 0.9f, beta2: beta2 ?? 0.999f, weightDecay: weightDecay ?? 0.01f),
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
