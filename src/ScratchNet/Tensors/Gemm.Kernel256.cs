using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

// Generated once by a script and kept as plain code: the JIT does not unroll loops, so the register
// tile has to be spelled out. The micro-kernel must stay a leaf (no calls): any call makes the JIT
// spill every accumulator to the stack on each update.
public static partial class Gemm
{
    /// <summary>
    /// The 6 x 16 micro-kernel: 12 Vector256 accumulators (6 rows x two vectors of 8 columns), small
    /// enough for the 16 registers of AVX2. Same contract and summation order as <see cref="Kernel8x32"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel6x16(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default; Vector256<float> c01 = default;
        Vector256<float> c10 = default; Vector256<float> c11 = default;
        Vector256<float> c20 = default; Vector256<float> c21 = default;
        Vector256<float> c30 = default; Vector256<float> c31 = default;
        Vector256<float> c40 = default; Vector256<float> c41 = default;
        Vector256<float> c50 = default; Vector256<float> c51 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            Vector256.Store(c00 * va, c);
            Vector256.Store(c01 * va, c + 8);
            Vector256.Store(c10 * va, c + ldc);
            Vector256.Store(c11 * va, c + ldc + 8);
            Vector256.Store(c20 * va, c + 2 * ldc);
            Vector256.Store(c21 * va, c + 2 * ldc + 8);
            Vector256.Store(c30 * va, c + 3 * ldc);
            Vector256.Store(c31 * va, c + 3 * ldc + 8);
            Vector256.Store(c40 * va, c + 4 * ldc);
            Vector256.Store(c41 * va, c + 4 * ldc + 8);
            Vector256.Store(c50 * va, c + 5 * ldc);
            Vector256.Store(c51 * va, c + 5 * ldc + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Vector256.Store(c00 * va + Vector256.Load(c) * vb, c);
            Vector256.Store(c01 * va + Vector256.Load(c + 8) * vb, c + 8);
            Vector256.Store(c10 * va + Vector256.Load(c + ldc) * vb, c + ldc);
            Vector256.Store(c11 * va + Vector256.Load(c + ldc + 8) * vb, c + ldc + 8);
            Vector256.Store(c20 * va + Vector256.Load(c + 2 * ldc) * vb, c + 2 * ldc);
            Vector256.Store(c21 * va + Vector256.Load(c + 2 * ldc + 8) * vb, c + 2 * ldc + 8);
            Vector256.Store(c30 * va + Vector256.Load(c + 3 * ldc) * vb, c + 3 * ldc);
            Vector256.Store(c31 * va + Vector256.Load(c + 3 * ldc + 8) * vb, c + 3 * ldc + 8);
            Vector256.Store(c40 * va + Vector256.Load(c + 4 * ldc) * vb, c + 4 * ldc);
            Vector256.Store(c41 * va + Vector256.Load(c + 4 * ldc + 8) * vb, c + 4 * ldc + 8);
            Vector256.Store(c50 * va + Vector256.Load(c + 5 * ldc) * vb, c + 5 * ldc);
            Vector256.Store(c51 * va + Vector256.Load(c + 5 * ldc + 8) * vb, c + 5 * ldc + 8);
        }
    }
}
