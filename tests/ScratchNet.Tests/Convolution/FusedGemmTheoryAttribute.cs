using ScratchNet.Tensors;

namespace ScratchNet.Tests.Convolution;

/// <summary>
/// A theory about bits shared with the GEMM's vector kernels (fused multiply-adds): where SIMD is off
/// and the GEMM runs its scalar fallback kernel, which does not fuse, it is a visible skip saying so.
/// </summary>
public sealed class FusedGemmTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips when <see cref="Gemm.Kernel"/> is the scalar fallback.</summary>
    public FusedGemmTheoryAttribute()
    {
        if (Gemm.Kernel == Gemm.KernelKind.Scalar4x2)
            Skip = "the GEMM runs its scalar fallback kernel here (SIMD is off), which does not fuse its multiply-adds; the convolution kernels that share its bits (the direct first layer, the tap-row weight gradient) run only beside the 512-bit one";
    }
}
