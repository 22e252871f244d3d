namespace ScratchNet;

/// <summary>Values of a target tensor with a meaning shared by the datasets that write them and the losses that read them.</summary>
public static class Targets
{
    /// <summary>
    /// −1: a position no loss counts, such as the padding after a name's end in a (batch, T) sequence
    /// of next-token targets (PyTorch's ignore_index = −1).
    /// </summary>
    public const float Ignored = -1f;
}
