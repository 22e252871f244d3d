namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    // Rows are exponentiated in blocks of about this many elements (4 KiB, well inside L1).
    private const int SoftmaxBlock = 1024;

    /// <summary>
    /// Row-wise softmax, softmax(x)_j = exp(x_j - max x) / Σ_k exp(x_k - max x). Subtracting the row
    /// maximum keeps exp from overflowing without changing the result. Output may alias input.
    /// </summary>
    /// <remarks>
    /// Fast path, for a block of rows at a time: each row's shift x − max is written to the output,
    /// one call of <see cref="Exp"/> (vectorized; within 2 ulps of MathF.Exp) exponentiates the
    /// whole block, so a batch of short rows (10 logits) does not pay a call per row; then each row
    /// is scaled by 1 / its sum, summed in the fixed order of <see cref="Sum"/>. Nothing is allocated.
    /// </remarks>
    public static void SoftmaxRows(Tensor input, Tensor output)
    {
        ShapeError.RequireSameShape(input, output, nameof(SoftmaxRows));
        int rows = input.Rows, cols = input.Columns;
        if (cols == 0) return;
        var x = input.Span; var y = output.Span;
        int rowsPerBlock = Math.Max(1, SoftmaxBlock / cols);
        for (int first = 0; first < rows; first += rowsPerBlock)
        {
            int count = Math.Min(rowsPerBlock, rows - first);
            for (int i = first; i < first + count; i++)
            {
                var xr = x.Slice(i * cols, cols);
                Add(xr, -Max(xr), y.Slice(i * cols, cols));
            }
            var block = y.Slice(first * cols, count * cols);
            Exp(block, block);
            for (int i = first; i < first + count; i++)
            {
                var yr = y.Slice(i * cols, cols);
                Scale(yr, 1f / Sum(yr), yr);
            }
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
