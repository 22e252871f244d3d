namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>matrix[i, j] += row[j] for every row i (adding a bias to each sample).</summary>
    public static void AddRowVector(Tensor matrix, ReadOnlySpan<float> row)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(cols, row.Length, nameof(AddRowVector), "row");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i * cols + j] += row[j];
    }

    /// <summary>
    /// destination[j] = Σ_i matrix[i, j]: the sum down each column, over the rows (the bias gradient
    /// from a batch). Rows are added in order 0, 1, 2, ... so the result does not depend on threads.
    /// </summary>
    public static void SumOverRows(Tensor matrix, Span<float> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(cols, destination.Length, nameof(SumOverRows), "destination");
        var m = matrix.Span;
        destination.Clear();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                destination[j] += m[i * cols + j];
    }

    /// <summary>destination[i] = Σ_j matrix[i, j]: the sum along each row.</summary>
    public static void SumOverColumns(Tensor matrix, Span<float> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, destination.Length, nameof(SumOverColumns), "destination");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
        {
            float s = 0;
            for (int j = 0; j < cols; j++) s += m[i * cols + j];
            destination[i] = s;
        }
    }

    /// <summary>Σ_i x[i].</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>Σ_i x[i] * y[i].</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        RequireLength(x.Length, y.Length, nameof(Dot), "y");
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>destination[i] = the column index of the largest element of row i (the first one on ties).</summary>
    public static void ArgmaxRows(Tensor matrix, Span<int> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, destination.Length, nameof(ArgmaxRows), "destination");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
        {
            int best = 0;
            float bestValue = cols > 0 ? m[i * cols] : 0;
            for (int j = 1; j < cols; j++)
                if (m[i * cols + j] > bestValue) { bestValue = m[i * cols + j]; best = j; }
            destination[i] = best;
        }
    }
}
