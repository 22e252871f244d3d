using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Another dataset whose features go through a <see cref="Standardizer"/> batch by batch, as they are
/// copied out: z = (x - shift) / scale. The source keeps its own storage (images stay bytes).
/// </summary>
/// <param name="source">The dataset whose samples are rescaled.</param>
/// <param name="standardizer">The scaling, with one shift and scale per feature of a sample.</param>
public sealed class ScaledDataset(Dataset source, Standardizer standardizer) : Dataset
{
    /// <summary>The source's name.</summary>
    public override string Name => source.Name;

    /// <summary>The source's sample count.</summary>
    public override int Count => source.Count;

    /// <summary>The source's sample shape.</summary>
    public override int[] SampleShape => source.SampleShape;

    /// <summary>The source's class count.</summary>
    public override int ClassCount => source.ClassCount;

    /// <summary>The source's target width.</summary>
    public override int TargetWidth => source.TargetWidth;
    /// <inheritdoc/>
    public override int[] TargetShape => source.TargetShape;

    /// <summary>The source's class names.</summary>
    public override IReadOnlyList<string> ClassNames => source.ClassNames;

    /// <summary>The scaling applied to every batch.</summary>
    public Standardizer Standardizer => standardizer;

    /// <summary>Copies the samples from the source, then rescales their features in place.</summary>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        source.CopyBatch(indices, features, targets);
        standardizer.Transform(features.Reshape(indices.Length, -1));
    }
}
