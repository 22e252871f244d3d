using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Tensors;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Checks that the Kernels category really runs on the path its environment asks for: when CI sets
/// DOTNET_EnableAVX512=0 or DOTNET_EnableHWIntrinsic=0, the narrower or scalar paths (vectors and GEMM
/// micro-kernel) are the ones tested; without a switch, 128-bit vectors are on.
/// </summary>
/// <remarks>
/// On .NET 10 the older knob DOTNET_EnableAVX512F=0 no longer turns Vector512 off (the AVX-512 knobs
/// were merged into DOTNET_EnableAVX512 in dotnet/runtime#115983): this test only reports it.
/// DOTNET_EnableAVX=0 leaves Vector128 alone, which tests the 128-bit path.
/// </remarks>
[Trait("Category", "Kernels")]
public class TensorMathHardwareTests(ITestOutputHelper output)
{
    [Fact]
    public void TheVectorWidthFollowsTheEnvironment()
    {
        output.WriteLine($"Vector512: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}, Vector128: {Vector128.IsHardwareAccelerated}, GEMM kernel: {Gemm.MicroKernel}");
        bool noSimd = Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0";
        if (noSimd)
        {
            Assert.False(Vector128.IsHardwareAccelerated || Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated);
            Assert.Equal("scalar 4x2", Gemm.MicroKernel);
        }
        else if (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            // Every x64 (SSE2) and Arm64 (AdvSimd) processor has 128-bit vectors: the plain run uses them.
            Assert.True(Vector128.IsHardwareAccelerated);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.False(Vector512.IsHardwareAccelerated);
            Assert.NotEqual("Vector512 8x32", Gemm.MicroKernel);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX") == "0")
            Assert.False(Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0" && Vector512.IsHardwareAccelerated)
            output.WriteLine("DOTNET_EnableAVX512F=0 has no effect on .NET 10; use DOTNET_EnableAVX512=0 to test without Vector512.");
    }
}
