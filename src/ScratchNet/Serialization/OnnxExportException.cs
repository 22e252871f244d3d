namespace ScratchNet.Serialization;

/// <summary>
/// A model cannot be written as ONNX: one of its layers has no ONNX equivalent at inference, or it is
/// not built. The message names the layer by its index and spec.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>An export error with a one-line <paramref name="message"/>.</summary>
    public OnnxExportException(string message) : base(message) { }
}
