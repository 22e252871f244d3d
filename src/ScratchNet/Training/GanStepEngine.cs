using ScratchNet.Data;
using ScratchNet.Losses;
using ScratchNet.Models;
using ScratchNet.Optimizers;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// The host's step engine for a <see cref="GanModel"/>: one step updates the discriminator, then the
/// generator, on a batch of B real images x and B codes z ~ N(0, I):
/// <code>
/// x̂ = G(z)
/// L_D = BCE(D([x; x̂]), [t; 0])          mean over the 2B rows: −(1/2B) Σ [t log σ(D(x)) + (1 − t) log(1 − σ(D(x))) + log(1 − σ(D(x̂)))]
/// θ_D ← update_D(θ_D, ∂L_D/∂θ_D)
/// L_G = BCE(D(x̂), 1) = −(1/B) Σ log σ(D(x̂))     the non-saturating loss, through the updated D
/// θ_G ← update_G(θ_G, ∂L_G/∂x̂ · ∂x̂/∂θ_G)
/// </code>
/// t is <see cref="TrainerOptions.GanRealTarget"/> (1, or 0.9 for one-sided label smoothing). BCE is the trainer's loss (<see cref="BinaryCrossEntropyWithLogits"/>); the optimizers are the two of
/// an <see cref="AdversarialOptimizer"/>. The step reports L_D and the discriminator's correct calls
/// (D ≥ 0 on real rows, D &lt; 0 on generated ones) out of 2B. The codes of step t (counted over the run)
/// come from a generator seeded by (seed, t) alone, so a resumed run draws the same codes.
/// </summary>
internal sealed class GanStepEngine : IStepEngine
{
    private readonly GanModel _gan;
    private readonly Loss _loss;
    private readonly AdversarialOptimizer _optimizer;
    private readonly Dataset _train;
    private readonly BatchBuffers _buffers;
    private readonly ulong _seed;
    private readonly Tensor _codes, _both, _labels, _ones;
    private readonly int _imageSize;
    private readonly float _realTarget;
    private int[] _order = [];
    private StepOutcome _outcome;

    public GanStepEngine(GanModel gan, TrainerOptions options, Dataset train, int batchSize)
    {
        Require(gan, options);
        _gan = gan;
        _loss = options.Loss;
        _optimizer = (AdversarialOptimizer)options.Optimizer;
        _train = train;
        _seed = options.Seed;
        _realTarget = options.GanRealTarget;
        _buffers = new BatchBuffers(train, batchSize);
        _imageSize = (int)Math.Min(int.MaxValue, gan.InputShape.Aggregate(1L, (a, d) => a * d));
        _codes = new Tensor(batchSize, gan.LatentSize);
        _both = new Tensor([2 * batchSize, .. gan.InputShape]);
        _labels = new Tensor(2 * batchSize, 1);
        _ones = Tensor.Full(1f, batchSize, 1);
    }

    /// <summary>Refuses what a GAN step does not do: another loss or optimizer, penalties, clipping.</summary>
    /// <exception cref="ArgumentException">The options do not fit a GAN; the message says which.</exception>
    public static void Require(GanModel gan, TrainerOptions options)
    {
        if (options.Loss is not BinaryCrossEntropyWithLogits { ClassWeights: null })
            throw new ArgumentException($"A GAN trains with BinaryCrossEntropyWithLogits (unweighted) on the discriminator's logit, not {options.Loss.Name}.");
        if (options.Optimizer is not AdversarialOptimizer)
            throw new ArgumentException($"A GAN trains with an AdversarialOptimizer (one optimizer for the generator, one for the discriminator), not {options.Optimizer.Name}.");
        if (options.Regularization is { IsEmpty: false } || options.ClipGradientNorm is not null)
            throw new ArgumentException("A GAN step takes no weight penalties or gradient clipping.");
        if (options.Engine is not null)
            throw new ArgumentException($"A GAN trains on the host; the device engine '{options.Engine.Device}' does not run its two updates.");
        if (gan.OutputShape is not [1])
            throw new ArgumentException($"A GAN's discriminator gives one logit per image, not {Tensor.FormatShape(gan.OutputShape)}.");
    }

    public string Device => "cpu";

    public void BeginEpoch(ReadOnlySpan<int> order)
    {
        if (_order.Length != order.Length) _order = new int[order.Length];
        order.CopyTo(_order);
    }

    public void Step(int start, int count, float learningRate)
    {
        var (x, _) = _buffers.Fill(_train, _order.AsSpan(start, count));
        var z = _codes.SliceRows(0, count);
        CodesOfStep(_seed, _optimizer.StepCount).FillGaussian(z.Span);
        Tensor fake = _gan.Generate(z, training: true);

        var both = _both.SliceRows(0, 2 * count);
        int half = count * _imageSize;
        x.Span.CopyTo(both.Span[..half]);
        fake.Span.CopyTo(both.Span[half..]);
        var labels = _labels.SliceRows(0, 2 * count);
        labels.Span[..count].Fill(_realTarget);
        labels.Span[count..].Fill(0f);

        Tensor logits = _gan.Forward(both, training: true);
        float lossD = _loss.Forward(logits, labels);
        int correct = 0;
        var l = logits.Span;
        for (int i = 0; i < count; i++) if (l[i] >= 0) correct++;
        for (int i = count; i < 2 * count; i++) if (l[i] < 0) correct++;
        _outcome = new StepOutcome(lossD, correct, 2 * count);
        if (!float.IsFinite(lossD)) return; // the trainer reports it; the weights stay those that gave it
        _gan.Backward(_loss.Backward(), inputGradient: false);
        _optimizer.StepDiscriminator(_gan.DiscriminatorParameters);

        // The generated rows were copied into the joint batch above, so they can be read again here.
        Tensor fakeLogits = _gan.Forward(both.SliceRows(count, count), training: true);
        float lossG = _loss.Forward(fakeLogits, _ones.SliceRows(0, count));
        if (!float.IsFinite(lossG))
        {
            _outcome = _outcome with { Loss = lossG };
            return;
        }
        Tensor gradImages = _gan.Backward(_loss.Backward(), inputGradient: true)!;
        _gan.BackwardGenerator(gradImages);
        _optimizer.StepGenerator(_gan.GeneratorParameters);
    }

    /// <summary>The generator of the codes of step <paramref name="step"/> (0 for the run's first) of a run seeded <paramref name="seed"/>.</summary>
    internal static Rng CodesOfStep(ulong seed, long step)
    {
        // Two rounds of mixing: seeds s and s + 1 at steps t and t - 1 must not share a stream.
        var root = new Rng(seed ^ 0x6A09E667F3BCC908UL);
        return new Rng(root.NextUInt64() ^ ((ulong)step * 0x9E3779B97F4A7C15UL));
    }

    public StepOutcome ReadOutcome() => _outcome;

    public void CopyToHost() { }

    public void Dispose() { }
}
