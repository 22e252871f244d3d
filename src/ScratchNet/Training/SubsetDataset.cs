using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>Some samples of another dataset, by index (a validation split), without copying them.</summary>
internal sealed class SubsetDataset : Dataset
{
    private readonly Dataset _source;
    private readonly int[] _indices;
    private int[] _scratch = [];

    public SubsetDataset(Dataset source, int[] indices, string name)
    {
        _source = source;
        _indices = indices;
        Name = name;
    }

    public override string Name { get; }
    public override int Count => _indices.Length;
    public override int[] SampleShape => _source.SampleShape;
    public override int ClassCount => _source.ClassCount;
    public override int TargetWidth => _source.TargetWidth;
    public override IReadOnlyList<string> ClassNames => _source.ClassNames;

    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        if (_scratch.Length < indices.Length) _scratch = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) _scratch[i] = _indices[indices[i]];
        _source.CopyBatch(_scratch.AsSpan(0, indices.Length), features, targets);
    }
}
