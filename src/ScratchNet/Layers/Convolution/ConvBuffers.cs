using ScratchNet.Tensors;

namespace ScratchNet.Layers;

/// <summary>
/// Grow-only buffers: a tensor view over an array that is reallocated only when a larger batch
/// arrives. A smaller batch (the last of an epoch, or switching between training and evaluation
/// batch sizes) reuses the front of the array and only re-wraps the view.
/// </summary>
internal static class ConvBuffers
{
    /// <summary>Returns a (batch, ...sampleShape) view over <paramref name="data"/>, growing it if needed.</summary>
    public static Tensor View(ref float[] data, ref Tensor? view, int batch, ReadOnlySpan<int> sampleShape)
    {
        if (view is not null && view.Dim(0) == batch && ReferenceEquals(view.Data, data)) return view;
        long length = batch;
        foreach (int d in sampleShape) length *= d;
        if (data.Length < length) data = new float[length];
        int[] shape = new int[sampleShape.Length + 1];
        shape[0] = batch;
        sampleShape.CopyTo(shape.AsSpan(1));
        view = new Tensor(data, 0, shape);
        return view;
    }

    /// <summary>Grows <paramref name="data"/> to at least <paramref name="length"/> elements.</summary>
    public static void Grow<T>(ref T[] data, long length)
    {
        if (data.Length < length) data = new T[length];
    }
}
