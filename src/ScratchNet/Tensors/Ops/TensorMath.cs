namespace ScratchNet.Tensors;

/// <summary>
/// Element-wise and row-wise kernels on float32 spans and tensors. Each operation lives in its own
/// file with two halves: an internal <c>XxxScalar</c> method, the plain loop that is its
/// specification (for an element-wise operation, its operator's scalar Invoke on every element,
/// <see cref="ScalarLoop"/>), and the public fast path, which runs the operator's vector forms
/// (<see cref="Vectorized"/>) and finishes the remainder with that same scalar Invoke, so the two
/// cannot drift. Destinations may alias inputs of the same length (in-place use), unless a method
/// says otherwise.
/// </summary>
/// <remarks>
/// Element-wise results are the scalar loop's bits on every machine (no fused multiply-add, no
/// reassociation). Sums keep partial sums in vectors, so they round differently from the scalar
/// loop, but always the same way for the same data and the same vector width: never depending on
/// threads or on where the data lie. Nothing here allocates or starts threads: these kernels are
/// memory-bound, and a second thread made a column-split sum slower on our 2-core machine.
/// </remarks>
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
