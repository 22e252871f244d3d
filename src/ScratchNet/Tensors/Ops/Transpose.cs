using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    // Tile edge: a 32 x 32 tile reads 32 source rows and writes 32 destination rows of 128 bytes
    // each, 8 KiB in all, which stays in L1 while the tile is copied.
    private const int TransposeTile = 32;

    /// <summary>
    /// dst[j, i] = src[i, j] for the matrix view of <paramref name="src"/> (rows × columns);
    /// <paramref name="dst"/> must be columns × rows (shape (columns, rows) when both are 2-D) and
    /// must not share memory with <paramref name="src"/>.
    /// </summary>
    public static void Transpose(Tensor src, Tensor dst)
    {
        int rows = src.Rows, cols = src.Columns;
        RequireTransposeShapes(src, dst);
        ref float s = ref MemoryMarshal.GetReference(src.Span);
        ref float d = ref MemoryMarshal.GetReference(dst.Span);
        // Tiles keep both the reads and the strided writes inside a few cache lines.
        for (int i0 = 0; i0 < rows; i0 += TransposeTile)
        {
            int i1 = Math.Min(i0 + TransposeTile, rows);
            for (int j0 = 0; j0 < cols; j0 += TransposeTile)
            {
                int j1 = Math.Min(j0 + TransposeTile, cols);
                for (int i = i0; i < i1; i++)
                {
                    ref float srcRow = ref Unsafe.Add(ref s, (nint)i * cols);
                    for (int j = j0; j < j1; j++)
                        Unsafe.Add(ref d, (nint)j * rows + i) = Unsafe.Add(ref srcRow, j);
                }
            }
        }
    }

    /// <summary>The specification of <see cref="Transpose"/>.</summary>
    internal static void TransposeScalar(Tensor src, Tensor dst)
    {
        int rows = src.Rows, cols = src.Columns;
        RequireTransposeShapes(src, dst);
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                d[j * rows + i] = s[i * cols + j];
    }

    private static void RequireTransposeShapes(Tensor src, Tensor dst)
    {
        int rows = src.Rows, cols = src.Columns;
        bool fits = src.Rank == 2 && dst.Rank == 2
            ? dst.Dim(0) == cols && dst.Dim(1) == rows
            : dst.Rows == cols && dst.Columns == rows;
        if (!fits)
            throw new ShapeMismatchException(nameof(Transpose), src.ShapeString, dst.ShapeString);
        if (ReferenceEquals(src.Data, dst.Data) && src.Length > 0
            && src.Offset < dst.Offset + dst.Length && dst.Offset < src.Offset + src.Length)
            throw new ArgumentException($"Transpose: source {src.ShapeString} and destination {dst.ShapeString} share memory; transpose into a separate tensor.");
    }
}
