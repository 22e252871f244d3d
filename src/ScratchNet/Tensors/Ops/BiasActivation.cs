using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// z[i, j] ← z[i, j] + b[j], then y[i, j] = f(z[i, j]), for the columns j in [start, end) of every
    /// row of the row-major matrix z (rows of b.Length values): a layer's bias and the activation after
    /// it in one pass over z instead of two. The biased z stays (it is the activation's input, which its
    /// gradient reads). Each element gets the bits of <see cref="AddRowVector(Span{float}, ReadOnlySpan{float})"/>
    /// followed by f, whatever the column range: the work may be cut into column ranges on several threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddRowVectorThenApply<TOp>(TOp f, Span<float> z, ReadOnlySpan<float> b, Span<float> y, int start, int end)
        where TOp : struct, IUnaryOperator
    {
        int cols = b.Length, rows = cols == 0 ? 0 : z.Length / cols;
        RequireColumnRange(cols, z.Length, y.Length, start, end, nameof(AddRowVectorThenApply));
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        for (int i = 0; i < rows; i++)
        {
            nuint row = (nuint)((long)i * cols);
            int j = start;
            if (Vector512.IsHardwareAccelerated)
                for (; j <= end - Vector512<float>.Count; j += Vector512<float>.Count)
                {
                    var v = Vector512.LoadUnsafe(ref zr, row + (nuint)j) + Vector512.LoadUnsafe(ref br, (nuint)j);
                    v.StoreUnsafe(ref zr, row + (nuint)j);
                    f.Invoke(v).StoreUnsafe(ref yr, row + (nuint)j);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; j <= end - Vector256<float>.Count; j += Vector256<float>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref zr, row + (nuint)j) + Vector256.LoadUnsafe(ref br, (nuint)j);
                    v.StoreUnsafe(ref zr, row + (nuint)j);
                    f.Invoke(v).StoreUnsafe(ref yr, row + (nuint)j);
                }
            if (Vector128.IsHardwareAccelerated)
                for (; j <= end - Vector128<float>.Count; j += Vector128<float>.Count)
                {
                    var v = Vector128.LoadUnsafe(ref zr, row + (nuint)j) + Vector128.LoadUnsafe(ref br, (nuint)j);
                    v.StoreUnsafe(ref zr, row + (nuint)j);
                    f.Invoke(v).StoreUnsafe(ref yr, row + (nuint)j);
                }
            for (; j < end; j++)
            {
                ref float zj = ref Unsafe.Add(ref zr, row + (nuint)j);
                zj += Unsafe.Add(ref br, (nuint)j);
                Unsafe.Add(ref yr, row + (nuint)j) = f.Invoke(zj);
            }
        }
    }

    /// <summary>The specification of <see cref="AddRowVectorThenApply"/> on all columns: z[i, j] += b[j]; y[i, j] = f(z[i, j]).</summary>
    internal static void AddRowVectorThenApplyScalar<TOp>(TOp f, Span<float> z, ReadOnlySpan<float> b, Span<float> y)
        where TOp : struct, IUnaryOperator
    {
        int cols = b.Length, rows = cols == 0 ? 0 : z.Length / cols;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                z[i * cols + j] += b[j];
                y[i * cols + j] = f.Invoke(z[i * cols + j]);
            }
    }

    /// <summary>
    /// dx[i, j] = g(x[i, j], dy[i, j]) and s[j] = Σ_i dx[i, j], for the columns j in [start, end) of
    /// row-major matrices of s.Length columns: an activation's gradient and the column sum of the
    /// result (the bias gradient of the layer before) in one pass instead of two. Rows are added in
    /// order 0, 1, 2, ... from s[j] = 0, so s gets the bits of
    /// <see cref="SumOverRows(ReadOnlySpan{float}, Span{float})"/> on dx whatever the column range: the
    /// work may be cut into column ranges on several threads without changing a bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TransformSumOverRows<TOp>(TOp g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, Span<float> s, int start, int end)
        where TOp : struct, IBinaryOperator
    {
        int cols = s.Length, rows = cols == 0 ? 0 : x.Length / cols;
        RequireColumnRange(cols, x.Length, dy.Length, start, end, nameof(TransformSumOverRows));
        RequireColumnRange(cols, x.Length, dx.Length, start, end, nameof(TransformSumOverRows));
        s[start..end].Clear();
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float dxr = ref MemoryMarshal.GetReference(dx);
        ref float sr = ref MemoryMarshal.GetReference(s);
        for (int i = 0; i < rows; i++)
        {
            nuint row = (nuint)((long)i * cols);
            int j = start;
            if (Vector512.IsHardwareAccelerated)
                for (; j <= end - Vector512<float>.Count; j += Vector512<float>.Count)
                {
                    var d = g.Invoke(Vector512.LoadUnsafe(ref xr, row + (nuint)j), Vector512.LoadUnsafe(ref dyr, row + (nuint)j));
                    d.StoreUnsafe(ref dxr, row + (nuint)j);
                    (Vector512.LoadUnsafe(ref sr, (nuint)j) + d).StoreUnsafe(ref sr, (nuint)j);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; j <= end - Vector256<float>.Count; j += Vector256<float>.Count)
                {
                    var d = g.Invoke(Vector256.LoadUnsafe(ref xr, row + (nuint)j), Vector256.LoadUnsafe(ref dyr, row + (nuint)j));
                    d.StoreUnsafe(ref dxr, row + (nuint)j);
                    (Vector256.LoadUnsafe(ref sr, (nuint)j) + d).StoreUnsafe(ref sr, (nuint)j);
                }
            if (Vector128.IsHardwareAccelerated)
                for (; j <= end - Vector128<float>.Count; j += Vector128<float>.Count)
                {
                    var d = g.Invoke(Vector128.LoadUnsafe(ref xr, row + (nuint)j), Vector128.LoadUnsafe(ref dyr, row + (nuint)j));
                    d.StoreUnsafe(ref dxr, row + (nuint)j);
                    (Vector128.LoadUnsafe(ref sr, (nuint)j) + d).StoreUnsafe(ref sr, (nuint)j);
                }
            for (; j < end; j++)
            {
                float d = g.Invoke(Unsafe.Add(ref xr, row + (nuint)j), Unsafe.Add(ref dyr, row + (nuint)j));
                Unsafe.Add(ref dxr, row + (nuint)j) = d;
                Unsafe.Add(ref sr, (nuint)j) += d;
            }
        }
    }

    /// <summary>The specification of <see cref="TransformSumOverRows"/> on all columns: dx[i, j] = g(x[i, j], dy[i, j]); s[j] = Σ_i dx[i, j].</summary>
    internal static void TransformSumOverRowsScalar<TOp>(TOp g, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, Span<float> s)
        where TOp : struct, IBinaryOperator
    {
        int cols = s.Length, rows = cols == 0 ? 0 : x.Length / cols;
        s.Clear();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                dx[i * cols + j] = g.Invoke(x[i * cols + j], dy[i * cols + j]);
                s[j] += dx[i * cols + j];
            }
    }

    private static void RequireColumnRange(int cols, int length, int otherLength, int start, int end, string operation)
    {
        if (cols == 0 ? length != 0 : length % cols != 0)
            throw new ArgumentException($"{operation}: {length} values are not whole rows of {cols}.");
        if (otherLength < length)
            throw new ArgumentException($"{operation}: an operand of {otherLength} values for {length}.");
        if ((uint)start > (uint)end || end > cols)
            throw new ArgumentOutOfRangeException(nameof(start), $"{operation}: columns [{start}, {end}) outside [0, {cols}).");
    }
}
