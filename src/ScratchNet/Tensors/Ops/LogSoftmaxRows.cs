using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    // Chunk of exp(x - max) values kept on the stack while a row is summed (1 KiB).
    private const int ExpChunk = 256;

    /// <summary>
    /// Row-wise log-softmax, (x_j - max x) - log Σ_k exp(x_k - max x): stable for any logits. Output may alias input.
    /// </summary>
    /// <remarks>
    /// The shift comes first: x_j − (max + log Σ) would round max + log Σ to the spacing of floats
    /// near max (about 0.001 for logits near 1e4) and lose that much in every result.
    /// Fast path per row: the maximum; Σ exp(x − max) computed chunk by chunk in a stack buffer (the
    /// input row must survive until the last step when output aliases it); then y = (x − max) − log Σ.
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
            float logSum = MathF.Log(sum);
            var yr = y.Slice(i * cols, cols);
            int done = Vectorized.Transform(new LogSoftmaxOperator(max, logSum), xr, yr);
            for (int j = done; j < cols; j++) yr[j] = (xr[j] - max) - logSum;
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
            float logSum = MathF.Log(sum);
            for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - max) - logSum;
        }
    }

    /// <summary>(x − max) − logSum for a fixed max and logSum.</summary>
    private readonly struct LogSoftmaxOperator(float max, float logSum) : IUnaryOperator
    {
        private readonly float _max = max, _logSum = logSum;
        public Vector512<float> Invoke(Vector512<float> x) => (x - Vector512.Create(_max)) - Vector512.Create(_logSum);
        public Vector256<float> Invoke(Vector256<float> x) => (x - Vector256.Create(_max)) - Vector256.Create(_logSum);
        public Vector128<float> Invoke(Vector128<float> x) => (x - Vector128.Create(_max)) - Vector128.Create(_logSum);
    }
}
