using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// z[i] = x[i] + b, then y[i] = f(z[i]), for one plane of a layer's output whose bias b is one value
    /// (a convolution's output channel): the bias and the activation after it in one pass while the
    /// plane is still in cache. <paramref name="x"/> may be <paramref name="z"/> itself (in place), and so may <paramref name="y"/>
    /// (then only f(x + b) is left). Each
    /// element gets the bits of <see cref="AddConstantThenApplyScalar"/>: x + b rounded once, then f.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddConstantThenApply<TOp>(TOp f, ReadOnlySpan<float> x, float b, Span<float> z, Span<float> y)
        where TOp : struct, IUnaryOperator
    {
        int n = x.Length;
        if (z.Length < n || y.Length < n)
            throw new ArgumentException($"{nameof(AddConstantThenApply)}: outputs of {z.Length} and {y.Length} values for {n}.");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b512 = Vector512.Create(b);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xr, (nuint)i) + b512;
                v.StoreUnsafe(ref zr, (nuint)i);
                f.Invoke(v).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var b256 = Vector256.Create(b);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i) + b256;
                v.StoreUnsafe(ref zr, (nuint)i);
                f.Invoke(v).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref xr, (nuint)i) + b;
            Unsafe.Add(ref zr, (nuint)i) = v;
            Unsafe.Add(ref yr, (nuint)i) = f.Invoke(v);
        }
    }

    /// <summary>The specification of <see cref="AddConstantThenApply"/>: z[i] = x[i] + b; y[i] = f(z[i]).</summary>
    internal static void AddConstantThenApplyScalar<TOp>(TOp f, ReadOnlySpan<float> x, float b, Span<float> z, Span<float> y)
        where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < x.Length; i++)
        {
            z[i] = x[i] + b;
            y[i] = f.Invoke(z[i]);
        }
    }
}
