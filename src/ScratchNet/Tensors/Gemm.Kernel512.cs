using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Tensors;

// Generated once by a script and kept as plain code: the JIT does not unroll loops, so the register
// tile has to be spelled out. The micro-kernel must stay a leaf (no calls): any call makes the JIT
// spill every accumulator to the stack on each update.
public static partial class Gemm
{
    /// <summary>
    /// The 8 x 32 micro-kernel: 16 Vector512 accumulators (8 rows x two vectors of 16 columns).
    /// <c>a</c> is a packed A panel (kc steps of 8 floats, one per row), <c>b</c> a packed B panel
    /// (kc steps of 32 floats). Each accumulator sums its kc products in order p = 0, 1, ..., kc-1
    /// with fused multiply-adds; then <c>C = alpha * acc + beta * C</c> (beta 0: C is not read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel8x32(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default; Vector512<float> c01 = default;
        Vector512<float> c10 = default; Vector512<float> c11 = default;
        Vector512<float> c20 = default; Vector512<float> c21 = default;
        Vector512<float> c30 = default; Vector512<float> c31 = default;
        Vector512<float> c40 = default; Vector512<float> c41 = default;
        Vector512<float> c50 = default; Vector512<float> c51 = default;
        Vector512<float> c60 = default; Vector512<float> c61 = default;
        Vector512<float> c70 = default; Vector512<float> c71 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += 8;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(c00 * va, c);
            Vector512.Store(c01 * va, c + 16);
            Vector512.Store(c10 * va, c + ldc);
            Vector512.Store(c11 * va, c + ldc + 16);
            Vector512.Store(c20 * va, c + 2 * ldc);
            Vector512.Store(c21 * va, c + 2 * ldc + 16);
            Vector512.Store(c30 * va, c + 3 * ldc);
            Vector512.Store(c31 * va, c + 3 * ldc + 16);
            Vector512.Store(c40 * va, c + 4 * ldc);
            Vector512.Store(c41 * va, c + 4 * ldc + 16);
            Vector512.Store(c50 * va, c + 5 * ldc);
            Vector512.Store(c51 * va, c + 5 * ldc + 16);
            Vector512.Store(c60 * va, c + 6 * ldc);
            Vector512.Store(c61 * va, c + 6 * ldc + 16);
            Vector512.Store(c70 * va, c + 7 * ldc);
            Vector512.Store(c71 * va, c + 7 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(c00 * va + Vector512.Load(c) * vb, c);
            Vector512.Store(c01 * va + Vector512.Load(c + 16) * vb, c + 16);
            Vector512.Store(c10 * va + Vector512.Load(c + ldc) * vb, c + ldc);
            Vector512.Store(c11 * va + Vector512.Load(c + ldc + 16) * vb, c + ldc + 16);
            Vector512.Store(c20 * va + Vector512.Load(c + 2 * ldc) * vb, c + 2 * ldc);
            Vector512.Store(c21 * va + Vector512.Load(c + 2 * ldc + 16) * vb, c + 2 * ldc + 16);
            Vector512.Store(c30 * va + Vector512.Load(c + 3 * ldc) * vb, c + 3 * ldc);
            Vector512.Store(c31 * va + Vector512.Load(c + 3 * ldc + 16) * vb, c + 3 * ldc + 16);
            Vector512.Store(c40 * va + Vector512.Load(c + 4 * ldc) * vb, c + 4 * ldc);
            Vector512.Store(c41 * va + Vector512.Load(c + 4 * ldc + 16) * vb, c + 4 * ldc + 16);
            Vector512.Store(c50 * va + Vector512.Load(c + 5 * ldc) * vb, c + 5 * ldc);
            Vector512.Store(c51 * va + Vector512.Load(c + 5 * ldc + 16) * vb, c + 5 * ldc + 16);
            Vector512.Store(c60 * va + Vector512.Load(c + 6 * ldc) * vb, c + 6 * ldc);
            Vector512.Store(c61 * va + Vector512.Load(c + 6 * ldc + 16) * vb, c + 6 * ldc + 16);
            Vector512.Store(c70 * va + Vector512.Load(c + 7 * ldc) * vb, c + 7 * ldc);
            Vector512.Store(c71 * va + Vector512.Load(c + 7 * ldc + 16) * vb, c + 7 * ldc + 16);
        }
    }

    /// <summary>
    /// <see cref="Kernel8x32"/> reading its B panel where B is stored: kc steps of 32 floats, <c>bStep</c>
    /// (ldb) floats apart. A kernel of its own, because the packed kernel's constant step measured faster
    /// on short K (16 and less); same sums, same bits. Each accumulator sums its kc products in order p = 0, 1, ..., kc-1
    /// with fused multiply-adds; then <c>C = alpha * acc + beta * C</c> (beta 0: C is not read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel8x32Strided(nint kc, float* a, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default; Vector512<float> c01 = default;
        Vector512<float> c10 = default; Vector512<float> c11 = default;
        Vector512<float> c20 = default; Vector512<float> c21 = default;
        Vector512<float> c30 = default; Vector512<float> c31 = default;
        Vector512<float> c40 = default; Vector512<float> c41 = default;
        Vector512<float> c50 = default; Vector512<float> c51 = default;
        Vector512<float> c60 = default; Vector512<float> c61 = default;
        Vector512<float> c70 = default; Vector512<float> c71 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += 8;
            b += bStep;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(c00 * va, c);
            Vector512.Store(c01 * va, c + 16);
            Vector512.Store(c10 * va, c + ldc);
            Vector512.Store(c11 * va, c + ldc + 16);
            Vector512.Store(c20 * va, c + 2 * ldc);
            Vector512.Store(c21 * va, c + 2 * ldc + 16);
            Vector512.Store(c30 * va, c + 3 * ldc);
            Vector512.Store(c31 * va, c + 3 * ldc + 16);
            Vector512.Store(c40 * va, c + 4 * ldc);
            Vector512.Store(c41 * va, c + 4 * ldc + 16);
            Vector512.Store(c50 * va, c + 5 * ldc);
            Vector512.Store(c51 * va, c + 5 * ldc + 16);
            Vector512.Store(c60 * va, c + 6 * ldc);
            Vector512.Store(c61 * va, c + 6 * ldc + 16);
            Vector512.Store(c70 * va, c + 7 * ldc);
            Vector512.Store(c71 * va, c + 7 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(c00 * va + Vector512.Load(c) * vb, c);
            Vector512.Store(c01 * va + Vector512.Load(c + 16) * vb, c + 16);
            Vector512.Store(c10 * va + Vector512.Load(c + ldc) * vb, c + ldc);
            Vector512.Store(c11 * va + Vector512.Load(c + ldc + 16) * vb, c + ldc + 16);
            Vector512.Store(c20 * va + Vector512.Load(c + 2 * ldc) * vb, c + 2 * ldc);
            Vector512.Store(c21 * va + Vector512.Load(c + 2 * ldc + 16) * vb, c + 2 * ldc + 16);
            Vector512.Store(c30 * va + Vector512.Load(c + 3 * ldc) * vb, c + 3 * ldc);
            Vector512.Store(c31 * va + Vector512.Load(c + 3 * ldc + 16) * vb, c + 3 * ldc + 16);
            Vector512.Store(c40 * va + Vector512.Load(c + 4 * ldc) * vb, c + 4 * ldc);
            Vector512.Store(c41 * va + Vector512.Load(c + 4 * ldc + 16) * vb, c + 4 * ldc + 16);
            Vector512.Store(c50 * va + Vector512.Load(c + 5 * ldc) * vb, c + 5 * ldc);
            Vector512.Store(c51 * va + Vector512.Load(c + 5 * ldc + 16) * vb, c + 5 * ldc + 16);
            Vector512.Store(c60 * va + Vector512.Load(c + 6 * ldc) * vb, c + 6 * ldc);
            Vector512.Store(c61 * va + Vector512.Load(c + 6 * ldc + 16) * vb, c + 6 * ldc + 16);
            Vector512.Store(c70 * va + Vector512.Load(c + 7 * ldc) * vb, c + 7 * ldc);
            Vector512.Store(c71 * va + Vector512.Load(c + 7 * ldc + 16) * vb, c + 7 * ldc + 16);
        }
    }

    /// <summary>
    /// The narrow 8 x 16 variant of <see cref="Kernel8x32"/> for the last B panel when at most 16 of its
    /// 32 columns are real (n = 10 in an MLP's output layer): it reads the same packed panels (B steps
    /// stay 32 floats apart) but only the first vector of each, halving the work on zero padding.
    /// Each element's sum is the same sequence of fused multiply-adds, so the bits match Kernel8x32's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel8x16(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default;
        Vector512<float> c10 = default;
        Vector512<float> c20 = default;
        Vector512<float> c30 = default;
        Vector512<float> c40 = default;
        Vector512<float> c50 = default;
        Vector512<float> c60 = default;
        Vector512<float> c70 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            a += 8;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(c00 * va, c);
            Vector512.Store(c10 * va, c + ldc);
            Vector512.Store(c20 * va, c + 2 * ldc);
            Vector512.Store(c30 * va, c + 3 * ldc);
            Vector512.Store(c40 * va, c + 4 * ldc);
            Vector512.Store(c50 * va, c + 5 * ldc);
            Vector512.Store(c60 * va, c + 6 * ldc);
            Vector512.Store(c70 * va, c + 7 * ldc);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(c00 * va + Vector512.Load(c) * vb, c);
            Vector512.Store(c10 * va + Vector512.Load(c + ldc) * vb, c + ldc);
            Vector512.Store(c20 * va + Vector512.Load(c + 2 * ldc) * vb, c + 2 * ldc);
            Vector512.Store(c30 * va + Vector512.Load(c + 3 * ldc) * vb, c + 3 * ldc);
            Vector512.Store(c40 * va + Vector512.Load(c + 4 * ldc) * vb, c + 4 * ldc);
            Vector512.Store(c50 * va + Vector512.Load(c + 5 * ldc) * vb, c + 5 * ldc);
            Vector512.Store(c60 * va + Vector512.Load(c + 6 * ldc) * vb, c + 6 * ldc);
            Vector512.Store(c70 * va + Vector512.Load(c + 7 * ldc) * vb, c + 7 * ldc);
        }
    }

    /// <summary>
    /// <see cref="Kernel8x16"/> storing straight into C through a lane mask (the first <c>cols</c> of 16
    /// lanes): an n = 10 edge tile needs no scratch tile and no scalar copy. Masked-off lanes of C are
    /// neither read nor written. Same arithmetic as the other kernels' stores, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel8x16Masked(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, int cols)
    {
        Vector512<float> c00 = default;
        Vector512<float> c10 = default;
        Vector512<float> c20 = default;
        Vector512<float> c30 = default;
        Vector512<float> c40 = default;
        Vector512<float> c50 = default;
        Vector512<float> c60 = default;
        Vector512<float> c70 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            a += 8;
            b += 32;
        }
        Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols)).AsSingle();
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Avx512F.MaskStore(c, mask, c00 * va);
            Avx512F.MaskStore(c + ldc, mask, c10 * va);
            Avx512F.MaskStore(c + 2 * ldc, mask, c20 * va);
            Avx512F.MaskStore(c + 3 * ldc, mask, c30 * va);
            Avx512F.MaskStore(c + 4 * ldc, mask, c40 * va);
            Avx512F.MaskStore(c + 5 * ldc, mask, c50 * va);
            Avx512F.MaskStore(c + 6 * ldc, mask, c60 * va);
            Avx512F.MaskStore(c + 7 * ldc, mask, c70 * va);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Avx512F.MaskStore(c, mask, c00 * va + Avx512F.MaskLoad(c, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + ldc, mask, c10 * va + Avx512F.MaskLoad(c + ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 2 * ldc, mask, c20 * va + Avx512F.MaskLoad(c + 2 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 3 * ldc, mask, c30 * va + Avx512F.MaskLoad(c + 3 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 4 * ldc, mask, c40 * va + Avx512F.MaskLoad(c + 4 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 5 * ldc, mask, c50 * va + Avx512F.MaskLoad(c + 5 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 6 * ldc, mask, c60 * va + Avx512F.MaskLoad(c + 6 * ldc, mask, Vector512<float>.Zero) * vb);
            Avx512F.MaskStore(c + 7 * ldc, mask, c70 * va + Avx512F.MaskLoad(c + 7 * ldc, mask, Vector512<float>.Zero) * vb);
        }
    }
}
