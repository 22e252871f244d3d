using System.Numerics.Tensors;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Row-wise softmax, softmax(x)_j = exp(x_j - max x) / Σ_k exp(x_k - max x). Subtracting the row
    /// maximum keeps exp from overflowing without changing the result. Output may alias input.
    /// </summary>
    /// <remarks>
    /// Fast path per row: the maximum, the shift x − max, exp by <see cref="TensorPrimitives.Exp(ReadOnlySpan{float}, Span{float})"/>
    /// (vectorized; within a few ulps of MathF.Exp), the sum in the fixed order of <see cref="Sum"/>,
    /// then a scale by 1 / sum. All in place in the output row, so nothing is allocated.
    /// </remarks>
    public static void SoftmaxRows(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(SoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < rows; i++)
        {
            var xr = x.Slice(i * cols, cols);
            var yr = y.Slice(i * cols, cols);
            float max = Max(xr);
            Add(xr, -max, yr);
            TensorPrimitives.Exp(yr, yr);
            float inv = 1f / Sum(yr);
            Scale(yr, inv, yr);
        }
    }

    /// <summary>The specification of <see cref="SoftmaxRows"/>.</summary>
    internal static void SoftmaxRowsScalar(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(SoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        var x = input.Span; var y = output.Span;
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, x[o + j]);
            float sum = 0;
            for (int j = 0; j < cols; j++) { float e = MathF.Exp(x[o + j] - max); y[o + j] = e; sum += e; }
            float inv = 1f / sum;
            for (int j = 0; j < cols; j++) y[o + j] *= inv;
        }
    }
}
