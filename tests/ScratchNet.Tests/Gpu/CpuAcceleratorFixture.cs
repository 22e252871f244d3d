using ScratchNet.Gpu;

namespace ScratchNet.Tests.Gpu;

/// <summary>One ILGPU CPU accelerator for a test class: opening a context and compiling kernels costs more than most tests.</summary>
public sealed class CpuAcceleratorFixture : IDisposable
{
    /// <summary>The device the tests run their kernels on.</summary>
    public GpuDevice Device { get; } = GpuDevice.Open(GpuDevice.CpuAccelerator);

    /// <summary>Closes the device.</summary>
    public void Dispose() => Device.Dispose();
}
