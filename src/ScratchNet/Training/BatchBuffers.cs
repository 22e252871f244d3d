using ScratchNet.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Training;

/// <summary>
/// Feature and target tensors for one full batch, allocated once and refilled for every batch. A
/// shorter last batch uses views of the first rows, so no batch allocates.
/// </summary>
internal sealed class BatchBuffers
{
    private readonly Tensor _features;
    private readonly Tensor _targets;
    private Tensor _featureView;
    private Tensor _targetView;

    public BatchBuffers(Dataset data, int batchSize)
    {
        Capacity = batchSize;
        _features = new Tensor([batchSize, .. data.SampleShape]);
        _targets = new Tensor([batchSize, .. data.TargetShape]);
        _featureView = _features;
        _targetView = _targets;
        Predicted = new int[batchSize];
    }

    /// <summary>Rows in a full batch.</summary>
    public int Capacity { get; }

    /// <summary>Scratch space for predicted class indices.</summary>
    public int[] Predicted { get; }

    /// <summary>Copies samples <paramref name="indices"/> into the buffers; returns views of exactly that many rows.</summary>
    public (Tensor Features, Tensor Targets) Fill(Dataset data, ReadOnlySpan<int> indices)
    {
        int n = indices.Length;
        if (_featureView.Dim(0) != n)
        {
            // Only the last, partial batch changes the row count; full batches reuse the full tensors.
            _featureView = n == Capacity ? _features : _features.SliceRows(0, n);
            _targetView = n == Capacity ? _targets : _targets.SliceRows(0, n);
        }
        data.CopyBatch(indices, _featureView, _targetView);
        return (_featureView, _targetView);
    }
}
