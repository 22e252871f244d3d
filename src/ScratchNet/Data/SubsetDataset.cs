using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Some samples of another dataset, by index, without copying them (train/validation splits of
/// MNIST keep the images as bytes in one place).
/// </summary>
public sealed class SubsetDataset : Dataset
{
    private readonly Dataset _source;
    private readonly int[] _indices;
    private int[] _mapped = [];

    /// <summary>Samples <paramref name="indices"/> of <paramref name="source"/>, named <paramref name="name"/>.</summary>
    public SubsetDataset(string name, Dataset source, int[] indices)
    {
        foreach (int i in indices)
            if ((uint)i >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside dataset '{source.Name}' of {source.Count} samples.");
        Name = name;
        _source = source;
        _indices = indices;
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override int Count => _indices.Length;
    /// <inheritdoc/>
    public override int[] SampleShape => _source.SampleShape;
    /// <inheritdoc/>
    public override int ClassCount => _source.ClassCount;
    /// <inheritdoc/>
    public override int TargetWidth => _source.TargetWidth;
    /// <inheritdoc/>
    public override int[] TargetShape => _source.TargetShape;
    /// <inheritdoc/>
    public override IReadOnlyList<string> ClassNames => _source.ClassNames;

    /// <summary>The dataset the samples come from.</summary>
    public Dataset Source => _source;

    /// <summary>The source indices, in this subset's order.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Maps the indices through this subset (reusing one buffer: not thread-safe).</summary>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        if (_mapped.Length < indices.Length) _mapped = new int[indices.Length];
        var mapped = _mapped.AsSpan(0, indices.Length);
        for (int b = 0; b < indices.Length; b++)
        {
            int i = indices[b];
            if ((uint)i >= (uint)_indices.Length)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Sample index {i} is outside dataset '{Name}' of {_indices.Length} samples.");
            mapped[b] = _indices[i];
        }
        _source.CopyBatch(mapped, features, targets);
    }
}
