namespace ScratchNet.Losses;

/// <summary>Creates a loss from its <see cref="Loss.Name"/> (as stored in model files and given on the command line).</summary>
public static class LossFactory
{
    /// <summary>The loss named <paramref name="name"/> (case-insensitive; "mse", "bce" and "crossentropy" also work).</summary>
    public static Loss Create(string name) => name.Trim().ToLowerInvariant() switch
    {
        "meansquarederror" or "mse" => new MeanSquaredError(),
        "binarycrossentropywithlogits" or "bce" or "bcewithlogits" => new BinaryCrossEntropyWithLogits(),
        "binarycrossentropywithlogitssum" or "bce-sum" => new BinaryCrossEntropyWithLogits(sumPerSample: true),
        "softmaxcrossentropy" or "crossentropy" or "ce" => new SoftmaxCrossEntropy(),
        _ => throw new ArgumentException($"Unknown loss '{TextExcerpt.Of(name ?? "")}'. Known: MeanSquaredError (mse), BinaryCrossEntropyWithLogits (bce), BinaryCrossEntropyWithLogitsSum (bce-sum), SoftmaxCrossEntropy (crossentropy)."),
    };
}
