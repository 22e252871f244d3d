namespace ScratchNet.Layers;

/// <summary>
/// A layer whose last fused forward run left a later layer's output unwritten, because the layer after
/// that read each piece straight from cache (a <see cref="Conv2D"/> + ReLU + <see cref="MaxPool2D"/>
/// run leaves the ReLU's output unwritten: the pool reads each plane in the thread's scratch). The
/// later layer asks for it only when it needs it: a Backward or a region fingerprint of its own.
/// </summary>
internal interface IDeferredOutput
{
    /// <summary>
    /// Writes the output the last run deferred, with the bits the run would have written, for
    /// <paramref name="consumer"/>, a layer of that run. Throws when this layer has run again since.
    /// </summary>
    /// <exception cref="InvalidOperationException">This layer's last forward pass is no longer the run that deferred <paramref name="consumer"/>'s input or output.</exception>
    void WriteDeferredOutput(Layer consumer);

    /// <summary>
    /// For <paramref name="consumer"/> about to read what <paramref name="writer"/> deferred: has it
    /// written, once (the field is cleared first), and does nothing when nothing is owed.
    /// </summary>
    static void Settle(ref IDeferredOutput? writer, Layer consumer)
    {
        if (writer is not { } owed) return;
        writer = null;
        owed.WriteDeferredOutput(consumer);
    }
}
