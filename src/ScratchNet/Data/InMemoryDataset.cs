using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>A dataset held as float tensors: features (count, ...sampleShape) and targets (count) or (count, width).</summary>
public sealed class InMemoryDataset : Dataset
{
    private readonly Tensor _features;
    private readonly Tensor _targets;
    private readonly int[] _sampleShape;
    private readonly IReadOnlyList<string>? _classNames;

    /// <summary>
    /// Wraps <paramref name="features"/> and <paramref name="targets"/> (no copy). For classification,
    /// <paramref name="classCount"/> is the number of classes and targets hold class indices.
    /// </summary>
    public InMemoryDataset(string name, Tensor features, Tensor targets, int classCount, IReadOnlyList<string>? classNames = null)
    {
        if (features.Rank < 1 || targets.Rank < 1 || features.Dim(0) != targets.Dim(0))
            throw new ShapeMismatchException($"Dataset '{name}': features and targets must have the same number of rows", features.ShapeString, targets.ShapeString);
        Name = name;
        _features = features;
        _targets = targets;
        _sampleShape = features.ShapeArray()[1..];
        ClassCount = classCount;
        _classNames = classNames;
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override int Count => _features.Dim(0);
    /// <inheritdoc/>
    public override int[] SampleShape => (int[])_sampleShape.Clone();
    /// <inheritdoc/>
    public override int ClassCount { get; }
    /// <inheritdoc/>
    public override int TargetWidth => _targets.Rank == 1 ? 1 : _targets.Columns;
    /// <inheritdoc/>
    public override IReadOnlyList<string> ClassNames => _classNames ?? base.ClassNames;

    /// <summary>All features.</summary>
    public Tensor Features => _features;

    /// <summary>All targets.</summary>
    public Tensor Targets => _targets;

    /// <inheritdoc/>
    public override void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets)
    {
        int fw = _features.Columns, tw = TargetWidth;
        if (features.Length != indices.Length * fw)
            throw new ShapeMismatchException($"CopyBatch of {indices.Length} samples from '{Name}' into features", features.ShapeString, _features.ShapeString);
        if (targets.Length != indices.Length * tw)
            throw new ShapeMismatchException($"CopyBatch of {indices.Length} samples from '{Name}' into targets", targets.ShapeString, _targets.ShapeString);
        var src = _features.Span; var dst = features.Span;
        var tsrc = _targets.Span; var tdst = targets.Span;
        for (int b = 0; b < indices.Length; b++)
        {
            int i = indices[b];
            src.Slice(i * fw, fw).CopyTo(dst.Slice(b * fw, fw));
            tsrc.Slice(i * tw, tw).CopyTo(tdst.Slice(b * tw, tw));
        }
    }
}
