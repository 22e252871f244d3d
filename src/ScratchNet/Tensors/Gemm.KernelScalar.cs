using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Tensors;

// Generated once by a script and kept as plain code: the JIT does not unroll loops, so the register
// tile has to be spelled out. The micro-kernel must stay a leaf (no calls): any call makes the JIT
// spill every accumulator to the stack on each update.
public static partial class Gemm
{
    /// <summary>
    /// The 4 x 4 micro-kernel in plain scalar code, for machines (or runs with
    /// DOTNET_EnableHWIntrinsic=0) without vector hardware. Same contract as <see cref="Kernel8x32"/>;
    /// sums use a separate multiply and add, so its bits differ from the FMA kernels' in the last place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel4x4Scalar(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0f; float c01 = 0f; float c02 = 0f; float c03 = 0f;
        float c10 = 0f; float c11 = 0f; float c12 = 0f; float c13 = 0f;
        float c20 = 0f; float c21 = 0f; float c22 = 0f; float c23 = 0f;
        float c30 = 0f; float c31 = 0f; float c32 = 0f; float c33 = 0f;
        for (nint p = 0; p < kc; p++)
        {
            float b0 = b[0]; float b1 = b[1]; float b2 = b[2]; float b3 = b[3];
            float a0 = a[0];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            float a1 = a[1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            float a2 = a[2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            float a3 = a[3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += 4;
            b += 4;
        }
        if (beta == 0f)
        {
            float* r0 = c;
            r0[0] = alpha * c00; r0[1] = alpha * c01; r0[2] = alpha * c02; r0[3] = alpha * c03;
            float* r1 = c + ldc;
            r1[0] = alpha * c10; r1[1] = alpha * c11; r1[2] = alpha * c12; r1[3] = alpha * c13;
            float* r2 = c + 2 * ldc;
            r2[0] = alpha * c20; r2[1] = alpha * c21; r2[2] = alpha * c22; r2[3] = alpha * c23;
            float* r3 = c + 3 * ldc;
            r3[0] = alpha * c30; r3[1] = alpha * c31; r3[2] = alpha * c32; r3[3] = alpha * c33;
        }
        else
        {
            float* r0 = c;
            r0[0] = alpha * c00 + beta * r0[0]; r0[1] = alpha * c01 + beta * r0[1]; r0[2] = alpha * c02 + beta * r0[2]; r0[3] = alpha * c03 + beta * r0[3];
            float* r1 = c + ldc;
            r1[0] = alpha * c10 + beta * r1[0]; r1[1] = alpha * c11 + beta * r1[1]; r1[2] = alpha * c12 + beta * r1[2]; r1[3] = alpha * c13 + beta * r1[3];
            float* r2 = c + 2 * ldc;
            r2[0] = alpha * c20 + beta * r2[0]; r2[1] = alpha * c21 + beta * r2[1]; r2[2] = alpha * c22 + beta * r2[2]; r2[3] = alpha * c23 + beta * r2[3];
            float* r3 = c + 3 * ldc;
            r3[0] = alpha * c30 + beta * r3[0]; r3[1] = alpha * c31 + beta * r3[1]; r3[2] = alpha * c32 + beta * r3[2]; r3[3] = alpha * c33 + beta * r3[3];
        }
    }
}
