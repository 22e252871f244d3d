using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Checks that the Kernels category really runs on the path its environment asks for: when CI sets
/// DOTNET_EnableAVX512=0 or DOTNET_EnableHWIntrinsic=0, the narrower or scalar paths are the ones tested.
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
        output.WriteLine($"Vector512: {Vector512.IsHardwareAccelerated}, Vector256: {Vector256.IsHardwareAccelerated}, Vector128: {Vector128.IsHardwareAccelerated}");
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
            Assert.False(Vector128.IsHardwareAccelerated || Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
            Assert.False(Vector512.IsHardwareAccelerated);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX") == "0")
            Assert.False(Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated);
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0" && Vector512.IsHardwareAccelerated)
            output.WriteLine("DOTNET_EnableAVX512F=0 has no effect on .NET 10; use DOTNET_EnableAVX512=0 to test without Vector512.");
    }
}
