namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = Σ_j matrix[i, j]: the sum along each row, in the fixed order of <see cref="Sum"/>.</summary>
    public static void SumOverColumns(Tensor matrix, Span<float> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, destination.Length, nameof(SumOverColumns), "destination");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++) destination[i] = Sum(m.Slice(i * cols, cols));
    }

    /// <summary>The specification of <see cref="SumOverColumns"/>.</summary>
    internal static void SumOverColumnsScalar(Tensor matrix, Span<float> destination)
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
}
