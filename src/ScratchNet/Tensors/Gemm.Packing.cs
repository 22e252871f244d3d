using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Tensors;

// Packing copies a block of op(A) or op(B) into the order the micro-kernel reads it: panels of
// width w (MR rows of op(A), or NR columns of op(B)), each panel kc steps of w consecutive floats.
// Panels past the edge of the matrix are padded with zeros, so the kernel never needs a tail.
public static partial class Gemm
{
    /// <summary>Packs rows [ic, ic+mc) x K [pc, pc+kc) of op(A) into MR-row panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(in Problem p, int pc, int kc, int ic, int mc, int mr, float* dst)
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* panel = dst + (nint)i0 * kc;
            if (p.TransA) // A stored k x m: one step of the panel is a contiguous run of a row of A.
                PackContiguous(p.A + (nint)pc * p.Lda + ic + i0, p.Lda, rows, kc, panel, mr);
            else          // A stored m x k: the panel is a transpose of `rows` rows of A.
                PackTransposed(p.A + (nint)(ic + i0) * p.Lda + pc, p.Lda, rows, kc, panel, mr);
        }
    }

    /// <summary>Packs K [pc, pc+kc) x columns [jc, jc+nc) of op(B) into NR-column panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(in Problem p, int pc, int kc, int jc, int nc, int nr, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* panel = dst + (nint)j0 * kc;
            if (p.BSource is not null)
                p.BSource.PackPanel(pc, kc, jc + j0, cols, panel, nr);
            else if (p.TransB) // B stored n x k: the panel is a transpose of `cols` rows of B.
                PackTransposed(p.B + (nint)(jc + j0) * p.Ldb + pc, p.Ldb, cols, kc, panel, nr);
            else          // B stored k x n: one step of the panel is a contiguous run of a row of B.
                PackContiguous(p.B + (nint)pc * p.Ldb + jc + j0, p.Ldb, cols, kc, panel, nr);
        }
    }

    /// <summary><c>dst[q*w + i] = src[q*lds + i]</c> for i &lt; count, zeros for count &lt;= i &lt; w; q &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackContiguous(float* src, nint lds, int count, int kc, float* dst, int w)
    {
        if (count == w && w == 8 && Vector256.IsHardwareAccelerated)
        {
            // The A^T panel of the 8 x 32 kernel: one vector per step (the JIT does not unroll the general loop).
            for (int q = 0; q < kc; q++) Vector256.Store(Vector256.Load(src + q * lds), dst + (nint)q * 8);
            return;
        }
        if (count == w && w == 32 && Vector256.IsHardwareAccelerated)
        {
            for (int q = 0; q < kc; q++)
            {
                float* s = src + q * lds;
                float* d = dst + (nint)q * 32;
                Vector256.Store(Vector256.Load(s), d);
                Vector256.Store(Vector256.Load(s + 8), d + 8);
                Vector256.Store(Vector256.Load(s + 16), d + 16);
                Vector256.Store(Vector256.Load(s + 24), d + 24);
            }
            return;
        }
        if (count == w && (w & 7) == 0 && Vector256.IsHardwareAccelerated)
        {
            for (int q = 0; q < kc; q++)
            {
                float* s = src + q * lds;
                float* d = dst + (nint)q * w;
                for (int i = 0; i < w; i += 8) Vector256.Store(Vector256.Load(s + i), d + i);
            }
            return;
        }
        bool vector = Vector256.IsHardwareAccelerated && (w & 7) == 0;
        for (int q = 0; q < kc; q++)
        {
            float* s = src + q * lds;
            float* d = dst + (nint)q * w;
            int i = 0;
            if (vector)
            {
                // Edge panel (n = 10, say): whole vectors, a scalar tail, then zeros a vector at a time.
                for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(s + i), d + i);
                for (; i < count; i++) d[i] = s[i];
                for (; (i & 7) != 0; i++) d[i] = 0f;
                for (; i < w; i += 8) Vector256.Store(Vector256<float>.Zero, d + i);
                continue;
            }
            for (; i < count; i++) d[i] = s[i];
            for (; i < w; i++) d[i] = 0f;
        }
    }

    /// <summary><c>dst[q*w + i] = src[i*lds + q]</c> for i &lt; count, zeros for count &lt;= i &lt; w; q &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackTransposed(float* src, nint lds, int count, int kc, float* dst, int w)
    {
        int q = 0;
        if (count == w && (w & 7) == 0 && Avx.IsSupported)
        {
            // 8 x 8 blocks transposed in registers; what is left of kc goes to the scalar loop.
            for (; q + 8 <= kc; q += 8)
                for (int i = 0; i < w; i += 8)
                    Transpose8x8(src + i * lds + q, lds, dst + (nint)q * w + i, w);
        }
        for (; q < kc; q++)
        {
            float* d = dst + (nint)q * w;
            int i = 0;
            for (; i < count; i++) d[i] = src[i * lds + q];
            for (; i < w; i++) d[i] = 0f;
        }
    }

    /// <summary>Row r of the 8 x 8 block at <c>dst</c> (stride ldd) becomes column r of the block at <c>src</c> (stride lds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* src, nint lds, float* dst, nint ldd) =>
        Transpose8x8(src, src + lds, src + 2 * lds, src + 3 * lds, src + 4 * lds, src + 5 * lds, src + 6 * lds, src + 7 * lds, dst, ldd);

    /// <summary>
    /// <c>dst[q·ldd + r] = s_r[q]</c> for r, q &lt; 8: eight rows of 8 floats, wherever they lie, become
    /// the columns of an 8 x 8 block. Needs AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Transpose8x8(float* s0, float* s1, float* s2, float* s3, float* s4, float* s5, float* s6, float* s7, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(s0), r1 = Avx.LoadVector256(s1);
        Vector256<float> r2 = Avx.LoadVector256(s2), r3 = Avx.LoadVector256(s3);
        Vector256<float> r4 = Avx.LoadVector256(s4), r5 = Avx.LoadVector256(s5);
        Vector256<float> r6 = Avx.LoadVector256(s6), r7 = Avx.LoadVector256(s7);
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }
}
