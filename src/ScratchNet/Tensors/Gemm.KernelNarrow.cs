using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Tensors;

// Generated once by a script and kept as plain code, like the other micro-kernels: a leaf, no calls.
public static partial class Gemm
{
    /// <summary>
    /// The narrow 8 x 16 micro-kernel that reads A where it is stored: row r of the tile at step p is
    /// <c>a[r·rowStride + p·stepStride]</c> (A as stored: rowStride = lda, stepStride = 1; Aᵀ as stored:
    /// rowStride = 1, stepStride = lda; a packed panel: 1 and 8), <c>b</c> a packed B panel of kc steps of
    /// 16 floats. Each accumulator sums its kc products in order with fused multiply-adds, the same
    /// sequence as <see cref="Kernel8x16Masked"/>, then <c>C = alpha * acc + beta * C</c> on the first
    /// <c>cols</c> lanes of each row (beta 0: C is not read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void KernelStrided8x16(nint kc, float* a, nint rowStride, nint stepStride, float* b, float* c, nint ldc, float alpha, float beta, int cols)
    {
        Vector512<float> c0 = default;
        Vector512<float> c1 = default;
        Vector512<float> c2 = default;
        Vector512<float> c3 = default;
        Vector512<float> c4 = default;
        Vector512<float> c5 = default;
        Vector512<float> c6 = default;
        Vector512<float> c7 = default;
        nint o1 = 1 * rowStride, o2 = 2 * rowStride, o3 = 3 * rowStride, o4 = 4 * rowStride, o5 = 5 * rowStride, o6 = 6 * rowStride, o7 = 7 * rowStride;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o7]), b0, c7);
            a += stepStride;
            b += 16;
        }
        Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols)).AsSingle();
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Avx512F.MaskStore(c + 0 * ldc, mask, c0 * va);
            Avx512F.MaskStore(c + 1 * ldc, mask, c1 * va);
            Avx512F.MaskStore(c + 2 * ldc, mask, c2 * va);
            Avx512F.MaskStore(c + 3 * ldc, mask, c3 * va);
            Avx512F.MaskStore(c + 4 * ldc, mask, c4 * va);
            Avx512F.MaskStore(c + 5 * ldc, mask, c5 * va);
            Avx512F.MaskStore(c + 6 * ldc, mask, c6 * va);
            Avx512F.MaskStore(c + 7 * ldc, mask, c7 * va);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Avx512F.MaskStore(c + 0 * ldc, mask, c0 * va + Avx512F.MaskLoad(c + 0 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 1 * ldc, mask, c1 * va + Avx512F.MaskLoad(c + 1 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 2 * ldc, mask, c2 * va + Avx512F.MaskLoad(c + 2 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 3 * ldc, mask, c3 * va + Avx512F.MaskLoad(c + 3 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 4 * ldc, mask, c4 * va + Avx512F.MaskLoad(c + 4 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 5 * ldc, mask, c5 * va + Avx512F.MaskLoad(c + 5 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 6 * ldc, mask, c6 * va + Avx512F.MaskLoad(c + 6 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 7 * ldc, mask, c7 * va + Avx512F.MaskLoad(c + 7 * ldc, mask, Vector512<float>.Zero) * vb);
        }
    }
}
