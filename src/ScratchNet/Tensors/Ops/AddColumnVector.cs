namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// matrix[i, j] += column[i] for every column j: one value per row (a per-channel bias when the
    /// rows are channels and the columns are positions).
    /// </summary>
    public static void AddColumnVector(Tensor matrix, ReadOnlySpan<float> column)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, column.Length, nameof(AddColumnVector), "column");
        if (cols < ShortRow) { AddColumnVectorScalar(matrix, column); return; }
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
        {
            var r = m.Slice(i * cols, cols);
            Vectorized.Transform(new AddConstantOperator(column[i]), r, r);
        }
    }

    /// <summary>The specification of <see cref="AddColumnVector"/>.</summary>
    internal static void AddColumnVectorScalar(Tensor matrix, ReadOnlySpan<float> column)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, column.Length, nameof(AddColumnVector), "column");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i * cols + j] += column[i];
    }
}
