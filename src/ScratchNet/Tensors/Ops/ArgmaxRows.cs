using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>destination[i] = the column index of the largest element of row i (the first one on ties).</summary>
    /// <remarks>
    /// As in the scalar loop, a NaN never wins unless it is the first element (nothing compares
    /// greater than it), and an empty row gives 0. The vector path takes two passes over the row:
    /// the largest value (NaNs skipped), then the first index holding it.
    /// </remarks>
    public static void ArgmaxRows(Tensor matrix, Span<int> destination)
    {
        RequireLength(matrix.Rows, destination.Length, nameof(ArgmaxRows), "destination");
        ArgmaxRows(matrix.Span, matrix.Columns, destination);
    }

    /// <summary>
    /// The same over <paramref name="values"/> read as destination.Length rows of <paramref name="columns"/>
    /// (the logits (batch, T, V) of a sequence as B·T rows of V, without a reshaped view).
    /// </summary>
    public static void ArgmaxRows(ReadOnlySpan<float> values, int columns, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        int rows = destination.Length;
        RequireLength(rows * columns, values.Length, nameof(ArgmaxRows), "values");
        for (int i = 0; i < rows; i++)
        {
            var row = values.Slice(i * columns, columns);
            destination[i] = columns < ShortRow ? ArgmaxScalar(row) : Argmax(row);
        }
    }

    /// <summary>The specification of <see cref="ArgmaxRows(Tensor, Span{int})"/>.</summary>
    internal static void ArgmaxRowsScalar(Tensor matrix, Span<int> destination)
    {
        int rows = matrix.Rows, cols = matrix.Columns;
        RequireLength(rows, destination.Length, nameof(ArgmaxRows), "destination");
        var m = matrix.Span;
        for (int i = 0; i < rows; i++) destination[i] = ArgmaxScalar(m.Slice(i * cols, cols));
    }

    private static int Argmax(ReadOnlySpan<float> x)
    {
        if (x.Length == 0 || float.IsNaN(x[0])) return 0;
        return IndexOfFirstEqual(x, Vectorized.Reduce<IdentityOperator, GreaterAggregator>(default, x));
    }

    /// <summary>The first j with x[j] == value (which exists: value is an element of x).</summary>
    private static int IndexOfFirstEqual(ReadOnlySpan<float> x, float value)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.Create(value);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                ulong hits = Vector512.Equals(Vector512.LoadUnsafe(ref xr, (nuint)j), v).ExtractMostSignificantBits();
                if (hits != 0) return j + BitOperations.TrailingZeroCount(hits);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                uint hits = Vector256.Equals(Vector256.LoadUnsafe(ref xr, (nuint)j), v).ExtractMostSignificantBits();
                if (hits != 0) return j + BitOperations.TrailingZeroCount(hits);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var v = Vector128.Create(value);
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                uint hits = Vector128.Equals(Vector128.LoadUnsafe(ref xr, (nuint)j), v).ExtractMostSignificantBits();
                if (hits != 0) return j + BitOperations.TrailingZeroCount(hits);
            }
        }
        for (; j < n; j++)
            if (x[j] == value) return j;
        return 0;
    }

    /// <summary>The specification of the argmax of one row, and the fallback when vectors are not accelerated.</summary>
    internal static int ArgmaxScalar(ReadOnlySpan<float> x)
    {
        int best = 0;
        float bestValue = x.Length > 0 ? x[0] : 0;
        for (int j = 1; j < x.Length; j++)
            if (x[j] > bestValue) { bestValue = x[j]; best = j; }
        return best;
    }

    /// <summary>b if b &gt; a, else a: the largest value with NaNs skipped (a NaN compares false).</summary>
    private readonly struct GreaterAggregator : IAggregator
    {
        public static float Identity => float.NegativeInfinity;
        public static float Combine(float a, float b) => b > a ? b : a;
        public static Vector512<float> Combine(Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(Vector512.GreaterThan(b, a), b, a);
        public static Vector256<float> Combine(Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(Vector256.GreaterThan(b, a), b, a);
        public static Vector128<float> Combine(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.GreaterThan(b, a), b, a);
        public static float Fold(Vector512<float> v) => Fold(Combine(v.GetLower(), v.GetUpper()));
        public static float Fold(Vector256<float> v) => Fold(Combine(v.GetLower(), v.GetUpper()));
        public static float Fold(Vector128<float> v) => Combine(Combine(v.GetElement(0), v.GetElement(2)), Combine(v.GetElement(1), v.GetElement(3)));
    }
}
