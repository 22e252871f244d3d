namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// destination[j] = Σ_i matrix[i, j]: the sum down each column, over the rows (the bias gradient
    /// from a batch). Rows are added in order 0, 1, 2, ... so the result does not depend on threads.
    /// </summary>
    /// <remarks>
    /// The vector path adds whole rows into the destination, so each destination[j] still receives
    /// its terms in row order: it gives exactly the bits of the scalar loop.
    /// </remarks>
    public static void SumOverRows(Tensor matrix, Span<float> destination)
    {
        RequireLength(matrix.Columns, destination.Length, nameof(SumOverRows), "destination");
        SumOverRows(matrix.Span, destination);
    }

    /// <summary>
    /// The same on a row-major matrix held flat: <paramref name="matrix"/> is rows of destination.Length
    /// values (a (B, T, C) sequence is B·T rows of C), added in row order.
    /// </summary>
    public static void SumOverRows(ReadOnlySpan<float> matrix, Span<float> destination)
    {
        int cols = destination.Length;
        destination.Clear();
        if (cols == 0) return;
        if (matrix.Length % cols != 0)
            throw new ArgumentException($"{nameof(SumOverRows)}: {matrix.Length} values are not whole rows of {cols}.");
        int rows = matrix.Length / cols;
        var m = matrix;
        for (int i = 0; i < rows; i++)
        {
            var r = m.Slice(i * cols, cols);
            Vectorized.Transform(new AddOperator(), destination, r, destination);
        }
    }

    /// <summary>The specification of <see cref="SumOverRows(Tensor, Span{float})"/>.</summary>
    internal static void SumOverRowsScalar(Tensor matrix, Span<float> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(cols, destination.Length, nameof(SumOverRows), "destination");
        var m = matrix.Span;
        destination.Clear();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                destination[j] += m[i * cols + j];
    }
}
