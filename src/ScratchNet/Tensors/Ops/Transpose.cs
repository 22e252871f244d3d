using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    /// <remarks>
    /// Fast path: the matrix is cut into 32 × 32 tiles so that both the reads and the strided writes
    /// stay in a few cache lines; with AVX each tile is moved as 8 × 8 blocks transposed in
    /// registers (8 loads, 24 shuffles, 8 stores), and its ragged edges by the scalar loop.
    /// </remarks>
    public static void Transpose(Tensor src, Tensor dst)
    {
        RequireTransposeShapes(src, dst);
        TransposeTiles(ref MemoryMarshal.GetReference(src.Span), ref MemoryMarshal.GetReference(dst.Span), src.Rows, src.Columns);
    }

    /// <summary>
    /// <see cref="Transpose(Tensor, Tensor)"/> on dense spans: <paramref name="dst"/> (cols × rows) = the
    /// transpose of <paramref name="src"/> (rows × cols); the two must not overlap. For a layer that
    /// transposes a slice of a buffer it owns, without a tensor view per call.
    /// </summary>
    internal static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        long length = (long)rows * cols;
        if (rows < 0 || cols < 0 || src.Length < length || dst.Length < length)
            throw new ArgumentException($"Transpose: {rows} x {cols} from {src.Length} floats into {dst.Length}.");
        if (length > 0 && src[..(int)length].Overlaps(dst[..(int)length]))
            throw new ArgumentException("Transpose: the source and the destination share memory; transpose into a separate buffer.");
        TransposeTiles(ref MemoryMarshal.GetReference(src), ref MemoryMarshal.GetReference(dst), rows, cols);
    }

    /// <summary>The tiled loop of <see cref="Transpose(Tensor, Tensor)"/>: d (cols × rows) = sᵀ.</summary>
    private static void TransposeTiles(ref float s, ref float d, int rows, int cols)
    {
        for (int i0 = 0; i0 < rows; i0 += TransposeTile)
        {
            int i1 = Math.Min(i0 + TransposeTile, rows);
            for (int j0 = 0; j0 < cols; j0 += TransposeTile)
            {
                int j1 = Math.Min(j0 + TransposeTile, cols);
                if (Avx.IsSupported)
                {
                    int i8 = i0 + ((i1 - i0) & ~7), j8 = j0 + ((j1 - j0) & ~7);
                    for (int i = i0; i < i8; i += 8)
                        for (int j = j0; j < j8; j += 8)
                            Transpose8x8(ref Unsafe.Add(ref s, (nint)i * cols + j), cols, ref Unsafe.Add(ref d, (nint)j * rows + i), rows);
                    TransposeBlock(ref s, ref d, rows, cols, i0, i8, j8, j1);
                    TransposeBlock(ref s, ref d, rows, cols, i8, i1, j0, j1);
                }
                else
                {
                    TransposeBlock(ref s, ref d, rows, cols, i0, i1, j0, j1);
                }
            }
        }
    }

    /// <summary>The specification of <see cref="Transpose(Tensor, Tensor)"/>.</summary>
    internal static void TransposeScalar(Tensor src, Tensor dst)
    {
        int rows = src.Rows, cols = src.Columns;
        RequireTransposeShapes(src, dst);
        var s = src.Span; var d = dst.Span;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                d[j * rows + i] = s[i * cols + j];
    }

    /// <summary>The scalar loop on rows [i0, i1) and columns [j0, j1).</summary>
    private static void TransposeBlock(ref float s, ref float d, int rows, int cols, int i0, int i1, int j0, int j1)
    {
        for (int i = i0; i < i1; i++)
        {
            ref float srcRow = ref Unsafe.Add(ref s, (nint)i * cols);
            for (int j = j0; j < j1; j++)
                Unsafe.Add(ref d, (nint)j * rows + i) = Unsafe.Add(ref srcRow, j);
        }
    }

    /// <summary>Transposes the 8 × 8 block at <paramref name="s"/> (row stride <paramref name="ls"/>) into <paramref name="d"/> (row stride <paramref name="ld"/>).</summary>
    private static void Transpose8x8(ref float s, int ls, ref float d, int ld)
    {
        // Rows a..h. Interleave pairs of rows: t0 = a0 b0 a1 b1 | a4 b4 a5 b5, t1 = a2 b2 a3 b3 | a6 b6 a7 b7, ...
        var r0 = Vector256.LoadUnsafe(ref s);
        var r1 = Vector256.LoadUnsafe(ref s, (nuint)ls);
        var r2 = Vector256.LoadUnsafe(ref s, (nuint)(2 * ls));
        var r3 = Vector256.LoadUnsafe(ref s, (nuint)(3 * ls));
        var r4 = Vector256.LoadUnsafe(ref s, (nuint)(4 * ls));
        var r5 = Vector256.LoadUnsafe(ref s, (nuint)(5 * ls));
        var r6 = Vector256.LoadUnsafe(ref s, (nuint)(6 * ls));
        var r7 = Vector256.LoadUnsafe(ref s, (nuint)(7 * ls));
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        // Gather four rows per column: u0 = a0 b0 c0 d0 | a4 b4 c4 d4, u1 = a1 b1 c1 d1 | a5 ..., ...
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Join the 128-bit halves: column k = rows a..d of u_k and rows e..h of u_(k+4).
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref d, (nuint)ld);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref d, (nuint)(2 * ld));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref d, (nuint)(3 * ld));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref d, (nuint)(4 * ld));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref d, (nuint)(5 * ld));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref d, (nuint)(6 * ld));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref d, (nuint)(7 * ld));
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
