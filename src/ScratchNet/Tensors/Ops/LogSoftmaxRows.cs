using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    // Stack buffer for exp(x − max) while rows are summed: 1024 floats (4 KiB).
    private const int ExpChunk = 1024;

    /// <summary>
    /// Row-wise log-softmax, (x_j - max x) - log Σ_k exp(x_k - max x): stable for any logits. Output may alias input.
    /// </summary>
    /// <remarks>
    /// The shift comes first: x_j − (max + log Σ) would round max + log Σ to the spacing of floats
    /// near max (about 0.001 for logits near 1e4) and lose that much in every result.
    /// Fast path: the exponentials are only summed, so they go to a stack buffer, never to the
    /// output (which may alias the input, still needed for the last step). Short rows are shifted
    /// into the buffer a block at a time and exponentiated by one call; a row longer than the
    /// buffer is summed chunk by chunk. Then y = (x − max) − log Σ.
    /// </remarks>
    public static void LogSoftmaxRows(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(LogSoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        if (cols == 0) return;
        var x = input.Span; var y = output.Span;
        Span<float> e = stackalloc float[ExpChunk];
        Span<float> rowMax = stackalloc float[ExpChunk];
        int rowsPerBlock = Math.Max(1, ExpChunk / cols);
        for (int first = 0; first < rows; first += rowsPerBlock)
        {
            int count = Math.Min(rowsPerBlock, rows - first);
            if (cols <= ExpChunk)
            {
                for (int k = 0; k < count; k++)
                {
                    var xr = x.Slice((first + k) * cols, cols);
                    rowMax[k] = Max(xr);
                    Add(xr, -rowMax[k], e.Slice(k * cols, cols));
                }
                var block = e[..(count * cols)];
                Exp(block, block);
                for (int k = 0; k < count; k++)
                    WriteLogSoftmaxRow(x.Slice((first + k) * cols, cols), rowMax[k], Sum(e.Slice(k * cols, cols)), y.Slice((first + k) * cols, cols));
            }
            else
            {
                var xr = x.Slice(first * cols, cols);
                float max = Max(xr), sum = 0;
                for (int c = 0; c < cols; c += ExpChunk)
                {
                    var part = xr.Slice(c, Math.Min(ExpChunk, cols - c));
                    var ep = e[..part.Length];
                    Add(part, -max, ep);
                    Exp(ep, ep);
                    sum += Sum(ep);
                }
                WriteLogSoftmaxRow(xr, max, sum, y.Slice(first * cols, cols));
            }
        }
    }

    /// <summary>y_j = (x_j − max) − log sum.</summary>
    private static void WriteLogSoftmaxRow(ReadOnlySpan<float> x, float max, float sum, Span<float> y)
    {
        float logSum = MathF.Log(sum);
        Vectorized.Transform(new LogSoftmaxOperator(max, logSum), x, y);
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
        public float Invoke(float x) => (x - _max) - _logSum;
        public Vector512<float> Invoke(Vector512<float> x) => (x - Vector512.Create(_max)) - Vector512.Create(_logSum);
        public Vector256<float> Invoke(Vector256<float> x) => (x - Vector256.Create(_max)) - Vector256.Create(_logSum);
        public Vector128<float> Invoke(Vector128<float> x) => (x - Vector128.Create(_max)) - Vector128.Create(_logSum);
    }
}
