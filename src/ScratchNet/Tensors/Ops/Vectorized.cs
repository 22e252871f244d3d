using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

/// <summary>
/// The drivers of every element-wise kernel: each runs an operator's vector forms over whole
/// vectors and finishes the remainder with its scalar Invoke (through <see cref="ScalarLoop"/>),
/// which is also the operation's specification, so the two paths cannot drift. Transforms and
/// updates use the widest vector the hardware accelerates, then one narrower step each for what
/// is left (a row of 10 takes one 256-bit step and 2 scalar ones); results built from exact
/// operations (+ − × ÷ √, min, max, select) do not depend on the width. Without hardware
/// acceleration the scalar Invoke does all the work.
/// </summary>
/// <remarks>
/// Callers check lengths first: every span must be at least as long as the first one. A
/// destination may be the same memory as an input (each vector is loaded before it is stored) but
/// must not partly overlap it; the spans an update writes must not overlap each other. Drivers are
/// compiled fully optimized on first use (no slow tier-0 warm-up).
/// Reductions keep four accumulators that each take every fourth vector, then fold them in a fixed
/// order, and add the remainder's scalar aggregate last: the result depends on the data and the
/// vector width only, never on memory alignment or threads (System.Numerics.Tensors aligns its
/// loads, which changes a float sum's rounding with the address of the data).
/// </remarks>
internal static class Vectorized
{
    /// <summary>destination[i] = op(x[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transform<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
        where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (i < n) ScalarLoop.Transform(op, x[i..], destination[i..n]);
    }

    /// <summary>destination[i] = op(x[i], y[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transform<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        if (i < n) ScalarLoop.Transform(op, x[i..], y[i..n], destination[i..n]);
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transform<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
        where TOp : struct, ITernaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i), Vector512.LoadUnsafe(ref zr, (nuint)i))
                  .StoreUnsafe(ref dr, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256.LoadUnsafe(ref zr, (nuint)i))
                  .StoreUnsafe(ref dr, (nuint)i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i), Vector128.LoadUnsafe(ref zr, (nuint)i))
                  .StoreUnsafe(ref dr, (nuint)i);
        }
        if (i < n) ScalarLoop.Transform(op, x[i..], y[i..n], z[i..n], destination[i..n]);
    }

    /// <summary>(a[i], b[i]) ← op(a[i], b[i], x[i]), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<TOp>(TOp op, Span<float> a, Span<float> b, ReadOnlySpan<float> x)
        where TOp : struct, IUpdate2Operator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var va = Vector512.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector512.LoadUnsafe(ref br, (nuint)i);
                op.Invoke(ref va, ref vb, Vector512.LoadUnsafe(ref xr, (nuint)i));
                va.StoreUnsafe(ref ar, (nuint)i);
                vb.StoreUnsafe(ref br, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var va = Vector256.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref br, (nuint)i);
                op.Invoke(ref va, ref vb, Vector256.LoadUnsafe(ref xr, (nuint)i));
                va.StoreUnsafe(ref ar, (nuint)i);
                vb.StoreUnsafe(ref br, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var va = Vector128.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector128.LoadUnsafe(ref br, (nuint)i);
                op.Invoke(ref va, ref vb, Vector128.LoadUnsafe(ref xr, (nuint)i));
                va.StoreUnsafe(ref ar, (nuint)i);
                vb.StoreUnsafe(ref br, (nuint)i);
            }
        }
        if (i < n) ScalarLoop.Update(op, a[i..], b[i..n], x[i..n]);
    }

    /// <summary>(a[i], b[i], c[i]) ← op(a[i], b[i], c[i], x[i]), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<TOp>(TOp op, Span<float> a, Span<float> b, Span<float> c, ReadOnlySpan<float> x)
        where TOp : struct, IUpdate3Operator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var va = Vector512.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector512.LoadUnsafe(ref br, (nuint)i);
                var vc = Vector512.LoadUnsafe(ref cr, (nuint)i);
                op.Invoke(ref va, ref vb, ref vc, Vector512.LoadUnsafe(ref xr, (nuint)i));
                va.StoreUnsafe(ref ar, (nuint)i);
                vb.StoreUnsafe(ref br, (nuint)i);
                vc.StoreUnsafe(ref cr, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var va = Vector256.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref br, (nuint)i);
                var vc = Vector256.LoadUnsafe(ref cr, (nuint)i);
                op.Invoke(ref va, ref vb, ref vc, Vector256.LoadUnsafe(ref xr, (nuint)i));
                va.StoreUnsafe(ref ar, (nuint)i);
                vb.StoreUnsafe(ref br, (nuint)i);
                vc.StoreUnsafe(ref cr, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var va = Vector128.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector128.LoadUnsafe(ref br, (nuint)i);
                var vc = Vector128.LoadUnsafe(ref cr, (nuint)i);
                op.Invoke(ref va, ref vb, ref vc, Vector128.LoadUnsafe(ref xr, (nuint)i));
                va.StoreUnsafe(ref ar, (nuint)i);
                vb.StoreUnsafe(ref br, (nuint)i);
                vc.StoreUnsafe(ref cr, (nuint)i);
            }
        }
        if (i < n) ScalarLoop.Update(op, a[i..], b[i..n], c[i..n], x[i..n]);
    }

    /// <summary>The aggregate of map(x[i]) over all of x (see the remarks for the order).</summary>
    public static float Reduce<TMap, TAgg>(TMap map, ReadOnlySpan<float> x)
        where TMap : struct, IUnaryOperator where TAgg : struct, IAggregator
    {
        float vectors = ReducePrefix<TMap, TAgg>(map, x, out int done);
        return TAgg.Combine(vectors, ScalarLoop.Reduce<TMap, TAgg>(map, x[done..]));
    }

    /// <summary>The aggregate of map(x[i], y[i]) over all of x, like the unary overload.</summary>
    public static float Reduce<TMap, TAgg>(TMap map, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TMap : struct, IBinaryOperator where TAgg : struct, IAggregator
    {
        float vectors = ReducePrefix<TMap, TAgg>(map, x, y, out int done);
        return TAgg.Combine(vectors, ScalarLoop.Reduce<TMap, TAgg>(map, x[done..], y[done..x.Length]));
    }

    /// <summary>Aggregates map(x[i]) over a prefix of whole vectors; returns the aggregate and, in <paramref name="done"/>, the prefix length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float ReducePrefix<TMap, TAgg>(TMap map, ReadOnlySpan<float> x, out int done)
        where TMap : struct, IUnaryOperator where TAgg : struct, IAggregator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int w = Vector512<float>.Count;
            var a0 = Vector512.Create(TAgg.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TAgg.Combine(a0, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i))));
                a1 = TAgg.Combine(a1, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + w))));
                a2 = TAgg.Combine(a2, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 2 * w))));
                a3 = TAgg.Combine(a3, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 3 * w))));
            }
            for (; i <= n - w; i += w)
                a0 = TAgg.Combine(a0, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i))));
            done = i;
            return TAgg.Fold(TAgg.Combine(TAgg.Combine(a0, a1), TAgg.Combine(a2, a3)));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int w = Vector256<float>.Count;
            var a0 = Vector256.Create(TAgg.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TAgg.Combine(a0, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i))));
                a1 = TAgg.Combine(a1, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + w))));
                a2 = TAgg.Combine(a2, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 2 * w))));
                a3 = TAgg.Combine(a3, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 3 * w))));
            }
            for (; i <= n - w; i += w)
                a0 = TAgg.Combine(a0, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i))));
            done = i;
            return TAgg.Fold(TAgg.Combine(TAgg.Combine(a0, a1), TAgg.Combine(a2, a3)));
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            int w = Vector128<float>.Count;
            var a0 = Vector128.Create(TAgg.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TAgg.Combine(a0, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i))));
                a1 = TAgg.Combine(a1, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + w))));
                a2 = TAgg.Combine(a2, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + 2 * w))));
                a3 = TAgg.Combine(a3, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + 3 * w))));
            }
            for (; i <= n - w; i += w)
                a0 = TAgg.Combine(a0, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i))));
            done = i;
            return TAgg.Fold(TAgg.Combine(TAgg.Combine(a0, a1), TAgg.Combine(a2, a3)));
        }
        done = 0;
        return TAgg.Identity;
    }

    /// <summary>Aggregates map(x[i], y[i]) over a prefix of whole vectors, like the unary overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float ReducePrefix<TMap, TAgg>(TMap map, ReadOnlySpan<float> x, ReadOnlySpan<float> y, out int done)
        where TMap : struct, IBinaryOperator where TAgg : struct, IAggregator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            int w = Vector512<float>.Count;
            var a0 = Vector512.Create(TAgg.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TAgg.Combine(a0, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i)), Vector512.LoadUnsafe(ref yr, (nuint)(i))));
                a1 = TAgg.Combine(a1, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + w)), Vector512.LoadUnsafe(ref yr, (nuint)(i + w))));
                a2 = TAgg.Combine(a2, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 2 * w)), Vector512.LoadUnsafe(ref yr, (nuint)(i + 2 * w))));
                a3 = TAgg.Combine(a3, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + 3 * w)), Vector512.LoadUnsafe(ref yr, (nuint)(i + 3 * w))));
            }
            for (; i <= n - w; i += w)
                a0 = TAgg.Combine(a0, map.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i)), Vector512.LoadUnsafe(ref yr, (nuint)(i))));
            done = i;
            return TAgg.Fold(TAgg.Combine(TAgg.Combine(a0, a1), TAgg.Combine(a2, a3)));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            int w = Vector256<float>.Count;
            var a0 = Vector256.Create(TAgg.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TAgg.Combine(a0, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i)), Vector256.LoadUnsafe(ref yr, (nuint)(i))));
                a1 = TAgg.Combine(a1, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + w)), Vector256.LoadUnsafe(ref yr, (nuint)(i + w))));
                a2 = TAgg.Combine(a2, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 2 * w)), Vector256.LoadUnsafe(ref yr, (nuint)(i + 2 * w))));
                a3 = TAgg.Combine(a3, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + 3 * w)), Vector256.LoadUnsafe(ref yr, (nuint)(i + 3 * w))));
            }
            for (; i <= n - w; i += w)
                a0 = TAgg.Combine(a0, map.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i)), Vector256.LoadUnsafe(ref yr, (nuint)(i))));
            done = i;
            return TAgg.Fold(TAgg.Combine(TAgg.Combine(a0, a1), TAgg.Combine(a2, a3)));
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            int w = Vector128<float>.Count;
            var a0 = Vector128.Create(TAgg.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TAgg.Combine(a0, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i)), Vector128.LoadUnsafe(ref yr, (nuint)(i))));
                a1 = TAgg.Combine(a1, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + w)), Vector128.LoadUnsafe(ref yr, (nuint)(i + w))));
                a2 = TAgg.Combine(a2, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + 2 * w)), Vector128.LoadUnsafe(ref yr, (nuint)(i + 2 * w))));
                a3 = TAgg.Combine(a3, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + 3 * w)), Vector128.LoadUnsafe(ref yr, (nuint)(i + 3 * w))));
            }
            for (; i <= n - w; i += w)
                a0 = TAgg.Combine(a0, map.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i)), Vector128.LoadUnsafe(ref yr, (nuint)(i))));
            done = i;
            return TAgg.Fold(TAgg.Combine(TAgg.Combine(a0, a1), TAgg.Combine(a2, a3)));
        }
        done = 0;
        return TAgg.Identity;
    }
}
