namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>matrix[i, j] += row[j] for every row i (adding a bias to each sample).</summary>
    public static void AddRowVector(Tensor matrix, ReadOnlySpan<float> row)
    {
        RequireLength(matrix.Columns, row.Length, nameof(AddRowVector), "row");
        AddRowVector(matrix.Span, row);
    }

    /// <summary>
    /// The same on a row-major matrix held flat: <paramref name="matrix"/> is rows of row.Length values
    /// (a (B, T, C) sequence is B·T rows of C), each gets row added.
    /// </summary>
    public static void AddRowVector(Span<float> matrix, ReadOnlySpan<float> row)
    {
        int cols = row.Length;
        if (cols == 0) return;
        if (matrix.Length % cols != 0)
            throw new ArgumentException($"{nameof(AddRowVector)}: {matrix.Length} values are not whole rows of {cols}.");
        int rows = matrix.Length / cols;
        var m = matrix;
        if (cols < ShortRow)
        {
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    m[i * cols + j] += row[j];
            return;
        }
        for (int i = 0; i < rows; i++)
        {
            var r = m.Slice(i * cols, cols);
            Vectorized.Transform(new AddOperator(), r, row, r);
        }
    }

    /// <summary>The specification of <see cref="AddRowVector(Tensor, ReadOnlySpan{float})"/>.</summary>
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
