using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Backward pass of <see cref="SoftmaxRows"/>: given y = softmax(x) row by row and g = dL/dy,
    /// dL/dx_ij = y_ij (g_ij − Σ_k g_ik y_ik) (the Jacobian diag(y) − y yᵀ applied to g).
    /// <paramref name="gradInput"/> may alias <paramref name="gradOutput"/>.
    /// </summary>
    public static void SoftmaxRowsBackward(Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ShapeError.RequireSameShape(output, gradOutput, nameof(SoftmaxRowsBackward));
        ShapeError.RequireSameShape(output, gradInput, nameof(SoftmaxRowsBackward));
        int rows = output.Rows, cols = output.Columns;
        var y = output.Span; var g = gradOutput.Span; var dx = gradInput.Span;
        for (int i = 0; i < rows; i++)
        {
            var yr = y.Slice(i * cols, cols);
            var gr = g.Slice(i * cols, cols);
            var dr = dx.Slice(i * cols, cols);
            float s = Dot(gr, yr);
            Vectorized.Transform(new SoftmaxBackwardOperator(s), yr, gr, dr);
        }
    }

    /// <summary>The specification of <see cref="SoftmaxRowsBackward"/>.</summary>
    internal static void SoftmaxRowsBackwardScalar(Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ShapeError.RequireSameShape(output, gradOutput, nameof(SoftmaxRowsBackward));
        ShapeError.RequireSameShape(output, gradInput, nameof(SoftmaxRowsBackward));
        int rows = output.Rows, cols = output.Columns;
        var y = output.Span; var g = gradOutput.Span; var dx = gradInput.Span;
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            float s = 0;
            for (int j = 0; j < cols; j++) s += g[o + j] * y[o + j];
            for (int j = 0; j < cols; j++) dx[o + j] = y[o + j] * (g[o + j] - s);
        }
    }

    /// <summary>y * (g − s) for a fixed s.</summary>
    private readonly struct SoftmaxBackwardOperator(float s) : IBinaryOperator
    {
        private readonly float _s = s;
        public float Invoke(float y, float g) => y * (g - _s);
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> g) => y * (g - Vector512.Create(_s));
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> g) => y * (g - Vector256.Create(_s));
        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> g) => y * (g - Vector128.Create(_s));
    }
}
