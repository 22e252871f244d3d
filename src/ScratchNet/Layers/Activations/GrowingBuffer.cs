using ScratchNet.Tensors;

namespace ScratchNet.Layers.Activations;

/// <summary>
/// A layer's reusable batch buffer that only grows. A batch no larger than the biggest seen so far
/// gets a view of the first rows of the stored tensor, so alternating batch sizes (training batches of
/// 64, evaluation batches of 500) allocate nothing after the first time, where a buffer sized to the
/// exact batch would be thrown away and reallocated at every switch.
/// </summary>
internal sealed class GrowingBuffer
{
    private Tensor? _store, _view;

    /// <summary>A tensor of exactly <paramref name="shape"/> (batch first); its contents are left over from earlier use.</summary>
    public Tensor For(ReadOnlySpan<int> shape)
    {
        if (_view is not null && _view.Shape.SequenceEqual(shape)) return _view;
        if (shape.Length == 0) return _view = new Tensor(shape.ToArray());
        int batch = shape[0];
        if (_store is null || _store.Rank != shape.Length || !_store.Shape[1..].SequenceEqual(shape[1..]) || _store.Dim(0) < batch)
            _store = new Tensor(shape.ToArray());
        _view = _store.Dim(0) == batch ? _store : _store.SliceRows(0, batch);
        return _view;
    }
}
