using System.Numerics.Tensors;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    // Chunk of exp(x - max) values kept on the stack while a row is summed (1 KiB).
    private const int ExpChunk = 256;

    /// <summary>
    /// Row-wise log-softmax, x_j - max x - log Σ_k exp(x_k - max x): stable for any logits. Output may alias input.
    /// </summary>
    /// <remarks>
    /// Fast path per row: the maximum; Σ exp(x − max) computed chunk by chunk in a stack buffer (the
    /// input row must survive until the last step when output aliases it); then y = x − logsumexp.
    /// </remarks>
    public static void LogSoftmaxRows(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(LogSoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        var x = input.Span; var y = output.Span;
        Span<float> chunk = stackalloc float[ExpChunk];
        for (int i = 0; i < rows; i++)
        {
            var xr = x.Slice(i * cols, cols);
            float max = Max(xr);
            float sum = 0;
            for (int c = 0; c < cols; c += ExpChunk)
            {
                var part = xr.Slice(c, Math.Min(ExpChunk, cols - c));
                var e = chunk[..part.Length];
                Add(part, -max, e);
                TensorPrimitives.Exp(e, e);
                sum += Sum(e);
            }
            float logSum = max + MathF.Log(sum);
            Add(xr, -logSum, y.Slice(i * cols, cols));
        }
    }

    /// <summary>The specification of <see cref="LogSoftmaxRows"/>.</summary>
    internal static void LogSoftmaxRowsScalar(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(LogSoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, x[o + j]);
            float sum = 0;
            for (int j = 0; j < cols; j++) sum += MathF.Exp(x[o + j] - max);
            float logSum = max + MathF.Log(sum);
            for (int j = 0; j < cols; j++) y[o + j] = x[o + j] - logSum;
        }
    }
}
