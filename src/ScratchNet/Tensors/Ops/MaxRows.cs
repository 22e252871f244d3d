namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = max_j matrix[i, j], as <see cref="Max(ReadOnlySpan{float})"/> (−∞ for an empty row, NaN if the row holds a NaN).</summary>
    public static void MaxRows(Tensor matrix, Span<float> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, destination.Length, nameof(MaxRows), "destination");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++) destination[i] = Max(m.Slice(i * cols, cols));
    }

    /// <summary>The specification of <see cref="MaxRows"/>.</summary>
    internal static void MaxRowsScalar(Tensor matrix, Span<float> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, destination.Length, nameof(MaxRows), "destination");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = MathF.Max(max, m[i * cols + j]);
            destination[i] = max;
        }
    }
}
