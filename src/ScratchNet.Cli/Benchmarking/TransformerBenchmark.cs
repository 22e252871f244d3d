using System.Diagnostics;
using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Benchmarking;

/// <summary>
/// Times the transformer's two units of work on random data: one <see cref="TransformerBlock"/> forward and
/// backward at (batch, T, C), and one whole training step of a GPT (Embedding, PositionalEmbedding, L blocks,
/// LayerNorm, Dense to the vocabulary, cross-entropy, clipping at norm 1, AdamW), as nanoGPT's step.
/// </summary>
public static class TransformerBenchmark
{
    /// <summary>The sizes: shakespeare-gpt's (nanoGPT's CPU configuration) by default.</summary>
    public sealed record Sizes(int Batch = 12, int Steps = 64, int Width = 128, int Heads = 4, int Layers = 4, int Vocabulary = 65);

    /// <summary>Median and best seconds of the timed repetitions.</summary>
    public sealed record Timing(double MedianSeconds, double BestSeconds, IReadOnlyList<double> Seconds);

    /// <summary>The GPT of <paramref name="sizes"/>, unbuilt.</summary>
    public static Sequential Gpt(Sizes sizes) =>
        new(
        [
            new Embedding(sizes.Vocabulary, sizes.Width), new PositionalEmbedding(sizes.Steps),
            .. Enumerable.Range(0, sizes.Layers).Select(_ => (Layer)new TransformerBlock(sizes.Heads)),
            new LayerNorm(), new Dense(sizes.Vocabulary),
        ]);

    /// <summary>The activations one batch of the GPT keeps (each layer's <see cref="LayerCost.OutputFloats"/> times the batch).</summary>
    public static long Activations(Sizes sizes) =>
        LayerCost.Times(Gpt(sizes).Costs([sizes.Steps]).Aggregate(0L, (sum, c) => LayerCost.Plus(sum, c.OutputFloats)), sizes.Batch);

    /// <summary>One block's forward and backward, after an untimed warm-up.</summary>
    public static Timing Block(Sizes sizes, int repetitions)
    {
        var block = new TransformerBlock(sizes.Heads);
        block.Build([sizes.Steps, sizes.Width], new Rng(1));
        var rng = new Rng(2);
        var x = new Tensor(sizes.Batch, sizes.Steps, sizes.Width);
        var dy = new Tensor(sizes.Batch, sizes.Steps, sizes.Width);
        foreach (ref float v in x.Span) v = (float)rng.NextGaussian();
        foreach (ref float v in dy.Span) v = (float)rng.NextGaussian();
        return Time(repetitions, () =>
        {
            block.Forward(x, training: true);
            block.Backward(dy);
        });
    }

    /// <summary>One training step of the GPT on a fixed random batch, after an untimed warm-up.</summary>
    public static Timing TrainingStep(Sizes sizes, int repetitions)
    {
        var model = Gpt(sizes).Build([sizes.Steps], 1);
        var rng = new Rng(3);
        var ids = new Tensor(sizes.Batch, sizes.Steps);
        var targets = new Tensor(sizes.Batch, sizes.Steps);
        foreach (ref float v in ids.Span) v = rng.NextInt(sizes.Vocabulary);
        foreach (ref float v in targets.Span) v = rng.NextInt(sizes.Vocabulary);
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new AdamW(1e-3f, 0.9f, 0.99f, weightDecay: 0.1f);
        var parameters = model.Parameters;
        return Time(repetitions, () =>
        {
            loss.Forward(model.Forward(ids, training: true), targets);
            model.Backward(loss.Backward(), inputGradient: false);
            GradientClipping.ClipByGlobalNorm(parameters, 1f);
            optimizer.Step(parameters);
        });
    }

    private static Timing Time(int repetitions, Action run)
    {
        // Warm-up, untimed: the layers' buffers, and the JIT's tiers (a method is recompiled optimised
        // after some 30 calls, in the background), so at least 40 runs or 2 seconds.
        long warm = Stopwatch.GetTimestamp();
        for (int i = 0; i < 40 && Stopwatch.GetElapsedTime(warm).TotalSeconds < 2; i++) run();
        var seconds = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        var sorted = seconds.Order().ToArray();
        return new Timing(sorted[sorted.Length / 2], sorted[0], seconds);
    }
}
