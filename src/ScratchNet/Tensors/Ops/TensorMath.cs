namespace ScratchNet.Tensors;

/// <summary>
/// Element-wise and row-wise kernels on float32 spans and tensors. Each operation lives in its own
/// file; its plain scalar loop is the specification, and any vector path must agree with it.
/// Destinations may alias inputs of the same length (in-place use), unless a method says otherwise.
/// </summary>
public static partial class TensorMath
{
    // Below this many columns a row kernel runs its scalar loop: a row of 10 logits is over before
    // the vector path has paid for its call and its final fold (measured: 0.5-0.9x the scalar speed).
    internal const int ShortRow = 16;

    internal static void RequireLength(int expected, int actual, string operation, string what)
    {
        if (expected != actual)
            throw new ArgumentException($"{operation}: {what} has {actual} elements, expected {expected}.");
    }
}
