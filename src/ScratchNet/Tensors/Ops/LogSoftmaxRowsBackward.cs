using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Backward pass of <see cref="LogSoftmaxRows"/>: given y = log-softmax(x) row by row and
    /// g = dL/dy, dL/dx_ij = g_ij − exp(y_ij) Σ_k g_ik (exp(y) is the softmax).
    /// <paramref name="gradInput"/> may alias <paramref name="gradOutput"/>.
    /// </summary>
    public static void LogSoftmaxRowsBackward(Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ShapeError.RequireSameShape(output, gradOutput, nameof(LogSoftmaxRowsBackward));
        ShapeError.RequireSameShape(output, gradInput, nameof(LogSoftmaxRowsBackward));
        int rows = output.Rows, cols = output.Columns;
        var y = output.Span; var g = gradOutput.Span; var dx = gradInput.Span;
        Span<float> e = stackalloc float[ExpChunk];
        for (int i = 0; i < rows; i++)
        {
            var gr = g.Slice(i * cols, cols);
            float s = Sum(gr);
            // exp(y) goes through a stack buffer, a chunk at a time: gradInput may be gradOutput.
            for (int c = 0; c < cols; c += ExpChunk)
            {
                int n = Math.Min(ExpChunk, cols - c);
                var ep = e[..n];
                Exp(y.Slice(i * cols + c, n), ep);
                var gp = gr.Slice(c, n);
                var dp = dx.Slice(i * cols + c, n);
                Vectorized.Transform(new LogSoftmaxBackwardOperator(s), gp, ep, dp);
            }
        }
    }

    /// <summary>The specification of <see cref="LogSoftmaxRowsBackward"/>.</summary>
    internal static void LogSoftmaxRowsBackwardScalar(Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ShapeError.RequireSameShape(output, gradOutput, nameof(LogSoftmaxRowsBackward));
        ShapeError.RequireSameShape(output, gradInput, nameof(LogSoftmaxRowsBackward));
        int rows = output.Rows, cols = output.Columns;
        var y = output.Span; var g = gradOutput.Span; var dx = gradInput.Span;
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            float s = 0;
            for (int j = 0; j < cols; j++) s += g[o + j];
            for (int j = 0; j < cols; j++) dx[o + j] = g[o + j] - MathF.Exp(y[o + j]) * s;
        }
    }

    /// <summary>g − e * s for a fixed s.</summary>
    private readonly struct LogSoftmaxBackwardOperator(float s) : IBinaryOperator
    {
        private readonly float _s = s;
        public float Invoke(float g, float e) => g - e * _s;
        public Vector512<float> Invoke(Vector512<float> g, Vector512<float> e) => g - e * Vector512.Create(_s);
        public Vector256<float> Invoke(Vector256<float> g, Vector256<float> e) => g - e * Vector256.Create(_s);
        public Vector128<float> Invoke(Vector128<float> g, Vector128<float> e) => g - e * Vector128.Create(_s);
    }
}
