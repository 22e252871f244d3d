using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// Another dataset with its features rescaled per batch by a <see cref="Standardizer"/>,
/// z = (x - shift) / scale, so images can stay as bytes in the source.
/// </summary>
internal sealed class StandardizedDataset(Dataset source, Standardizer standardizer) : Dataset
{
    public Standardizer Standardizer => standardizer;
    public override string Name => source.Name;
    public override int Count => source.Count;
    public override int[] SampleShape => source.SampleShape;
    public override int ClassCount => source.ClassCount;
    public override int TargetWidth => source.TargetWidth;
    public override IReadOnlyList<string> ClassNames => source.ClassNames;

    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        source.CopyBatch(indices, features, targets);
        standardizer.Transform(features.Reshape(indices.Length, -1));
    }
}
