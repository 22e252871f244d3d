using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Another dataset's samples as their own targets, for an autoencoder: y = x, flattened to
/// (<see cref="TargetWidth"/>) = the sample's values. The source's own targets (an image's class) are
/// dropped from the batches but stay readable through <see cref="Source"/> (to colour a latent space by class).
/// </summary>
/// <param name="source">The dataset whose samples are reconstructed.</param>
public sealed class ReconstructionDataset(Dataset source) : Dataset
{
    private Tensor? _sourceTargets;

    /// <summary>The dataset whose samples are the targets, with its own targets.</summary>
    public Dataset Source => source;

    /// <summary>The source's name.</summary>
    public override string Name => source.Name;

    /// <summary>The source's sample count.</summary>
    public override int Count => source.Count;

    /// <summary>The source's sample shape.</summary>
    public override int[] SampleShape => source.SampleShape;

    /// <summary>0: the targets are values, not classes.</summary>
    public override int ClassCount => 0;

    /// <summary>The values of one sample.</summary>
    public override int TargetWidth => SampleShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Copies the samples from the source, then the same values into the targets (batch, <see cref="TargetWidth"/>).</summary>
    /// <exception cref="ArgumentException">The targets tensor does not hold batch × <see cref="TargetWidth"/> values.</exception>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != features.Length)
            throw new ArgumentException($"{Name}: the targets hold {targets.Length} values, the samples {features.Length}; a reconstruction's target is its sample.");
        int n = indices.Length;
        int[] shape = [n, .. source.TargetShape];
        if (_sourceTargets is null || !_sourceTargets.Shape.SequenceEqual(shape)) _sourceTargets = new Tensor(shape);
        source.CopyBatch(indices, features, _sourceTargets);
        features.Span.CopyTo(targets.Span);
    }
}
