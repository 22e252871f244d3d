using ScratchNet.Tensors;

namespace ScratchNet.Data;

/// <summary>
/// Samples and their targets, read one batch at a time. Implementations may keep samples compactly
/// (MNIST images stay as bytes) and convert only the requested batch to floats.
/// </summary>
public abstract class Dataset
{
    /// <summary>A short name ("mnist/train", "xor").</summary>
    public abstract string Name { get; }

    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>Shape of one sample: (784) for flat MNIST, (1, 28, 28) for images, (2) for 2-D points.</summary>
    public abstract int[] SampleShape { get; }

    /// <summary>Number of classes for classification (targets are class indices), or 0 for regression.</summary>
    public abstract int ClassCount { get; }

    /// <summary>Values per target: 1 for classification (the class index) and for single-output regression.</summary>
    public virtual int TargetWidth => 1;

    /// <summary>
    /// Shape of one sample's target: () for a class index, (<see cref="TargetWidth"/>) for regression,
    /// (T) for a sequence of T class indices (a language model's next tokens).
    /// </summary>
    public virtual int[] TargetShape => ClassCount > 0 ? [] : [TargetWidth];

    /// <summary>Class names for reports, when known (length <see cref="ClassCount"/>).</summary>
    public virtual IReadOnlyList<string> ClassNames => Enumerable.Range(0, ClassCount).Select(i => i.ToString()).ToArray();

    /// <summary>
    /// Writes samples <paramref name="indices"/> into <paramref name="features"/> (shape (batch, ...SampleShape))
    /// and their targets into <paramref name="targets"/> (shape (batch, ...<see cref="TargetShape"/>):
    /// (batch) for classification, (batch, TargetWidth) for regression), where batch = indices.Length.
    /// </summary>
    public abstract void CopyBatch(ReadOnlySpan<int> indices, Tensor features, Tensor targets);

    /// <summary>
    /// The first <paramref name="count"/> samples (all of them when there are fewer) as tensors:
    /// features of shape (n, ...SampleShape), targets of shape (n), (n, TargetWidth) for a regression
    /// with several outputs, or (n, T) for sequences.
    /// </summary>
    public (Tensor Features, Tensor Targets) Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = Math.Min(count, Count);
        var x = new Tensor([n, .. SampleShape]);
        var y = TargetShape.Length == 0 || TargetWidth == 1 && ClassCount == 0 ? new Tensor(n) : new Tensor([n, .. TargetShape]);
        CopyBatch(Enumerable.Range(0, n).ToArray(), x, y);
        return (x, y);
    }
}
