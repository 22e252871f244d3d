using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

/// <summary>
/// The vector prefix of every element-wise kernel: each driver runs an operator over whole vectors
/// (the widest the hardware accelerates: 512, 256 or 128 bits) and returns how many elements it
/// covered. The caller finishes the remainder with the operation's scalar loop, which is also its
/// specification, so the two paths cannot drift. Without hardware acceleration a driver covers
/// nothing and the scalar loop does all the work.
/// </summary>
/// <remarks>
/// Callers check lengths first: every span must be at least as long as <c>x</c>. A destination may
/// be the same memory as an input (each vector is loaded before it is stored) but must not partly
/// overlap it. Drivers are compiled fully optimized on first use (no slow tier-0 warm-up).
/// Reductions keep four accumulators that each take every fourth vector, then fold them in a fixed
/// order: the result depends on the data and the vector width only, never on memory alignment or
/// threads (System.Numerics.Tensors aligns its loads, which changes a float sum's rounding with the
/// address of the data).
/// </remarks>
internal static class Vectorized
{
    /// <summary>destination[i] = op(x[i]) for a prefix of whole vectors; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Transform<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination)
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
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        return i;
    }

    /// <summary>destination[i] = op(x[i], y[i]) for a prefix of whole vectors; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Transform<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
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
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        return i;
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]) for a prefix of whole vectors; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Transform<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination)
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
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256.LoadUnsafe(ref zr, (nuint)i))
                  .StoreUnsafe(ref dr, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i), Vector128.LoadUnsafe(ref zr, (nuint)i))
                  .StoreUnsafe(ref dr, (nuint)i);
        }
        return i;
    }

    /// <summary>
    /// Aggregates map(x[i]) over a prefix of whole vectors (see the remarks for the order); returns
    /// the aggregate and, in <paramref name="done"/>, the prefix length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Reduce<TMap, TAgg>(TMap map, ReadOnlySpan<float> x, out int done)
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
    public static float Reduce<TMap, TAgg>(TMap map, ReadOnlySpan<float> x, ReadOnlySpan<float> y, out int done)
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
