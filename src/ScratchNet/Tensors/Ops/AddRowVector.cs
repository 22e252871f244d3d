namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>matrix[i, j] += row[j] for every row i (adding a bias to each sample).</summary>
    public static void AddRowVector(Tensor matrix, ReadOnlySpan<float> row)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(cols, row.Length, nameof(AddRowVector), "row");
        if (cols < ShortRow) { AddRowVectorScalar(matrix, row); return; }
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
        {
            var r = m.Slice(i * cols, cols);
            Vectorized.Transform(new AddOperator(), r, row, r);
        }
    }

    /// <summary>The specification of <see cref="AddRowVector"/>.</summary>
    internal static void AddRowVectorScalar(Tensor matrix, ReadOnlySpan<float> row)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(cols, row.Length, nameof(AddRowVector), "row");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i * cols + j] += row[j];
    }
}
