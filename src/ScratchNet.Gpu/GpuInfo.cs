using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu;

/// <summary>What accelerators ILGPU finds on this machine (CUDA devices and the CPU accelerator).</summary>
public static class GpuInfo
{
    /// <summary>One line per accelerator ILGPU can create here: its type and name.</summary>
    public static IReadOnlyList<string> Describe()
    {
        using var context = Context.Create(builder => builder.Default());
        return context.Devices.Select(d => $"{d.AcceleratorType}: {d.Name}").ToArray();
    }
}
