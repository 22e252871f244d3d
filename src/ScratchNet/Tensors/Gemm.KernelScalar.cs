using System.Runtime.CompilerServices;

namespace ScratchNet.Tensors;

// Generated once by a script and kept as plain code: the JIT does not unroll loops, so the register
// tile has to be spelled out. The micro-kernel must stay a leaf (no calls): any call makes the JIT
// spill every accumulator to the stack on each update.
public static partial class Gemm
{
    /// <summary>
    /// The 4 x 2 micro-kernel in plain scalar code, for machines (or runs with
    /// DOTNET_EnableHWIntrinsic=0) without vector hardware. Same contract as <see cref="Kernel8x32"/>;
    /// sums use a separate multiply and add, so its bits differ from the FMA kernels' in the last place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Kernel4x2Scalar(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0f; float c01 = 0f;
        float c10 = 0f; float c11 = 0f;
        float c20 = 0f; float c21 = 0f;
        float c30 = 0f; float c31 = 0f;
        for (nint p = 0; p < kc; p++)
        {
            float b0 = b[0]; float b1 = b[1];
            float a0 = a[0];
            c00 += a0 * b0; c01 += a0 * b1;
            float a1 = a[1];
            c10 += a1 * b0; c11 += a1 * b1;
            float a2 = a[2];
            c20 += a2 * b0; c21 += a2 * b1;
            float a3 = a[3];
            c30 += a3 * b0; c31 += a3 * b1;
            a += 4;
            b += 2;
        }
        if (beta == 0f)
        {
            float* r0 = c;
            r0[0] = alpha * c00; r0[1] = alpha * c01;
            float* r1 = c + ldc;
            r1[0] = alpha * c10; r1[1] = alpha * c11;
            float* r2 = c + 2 * ldc;
            r2[0] = alpha * c20; r2[1] = alpha * c21;
            float* r3 = c + 3 * ldc;
            r3[0] = alpha * c30; r3[1] = alpha * c31;
        }
        else
        {
            float* r0 = c;
            r0[0] = alpha * c00 + beta * r0[0]; r0[1] = alpha * c01 + beta * r0[1];
            float* r1 = c + ldc;
            r1[0] = alpha * c10 + beta * r1[0]; r1[1] = alpha * c11 + beta * r1[1];
            float* r2 = c + 2 * ldc;
            r2[0] = alpha * c20 + beta * r2[0]; r2[1] = alpha * c21 + beta * r2[1];
            float* r3 = c + 3 * ldc;
            r3[0] = alpha * c30 + beta * r3[0]; r3[1] = alpha * c31 + beta * r3[1];
        }
    }
}
