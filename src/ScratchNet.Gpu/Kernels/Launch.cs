using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// How many threads an element-wise kernel over n elements launches. On a GPU one per element; on
/// ILGPU's CPU accelerator at most <see cref="CpuThreads"/>, each looping over the elements i, i + s,
/// i + 2s, ... (s the threads launched): there every group of at most 16 threads is handed to host
/// threads and synchronised, so a launch of one thread per element over a 200,000-weight layer
/// costs seconds. Each element is computed alone, with the same operations, however the launch is cut.
/// </summary>
internal static class Launch
{
    /// <summary>The most threads an element-wise launch uses on the CPU accelerator.</summary>
    public const int CpuThreads = 256;

    /// <summary>The threads to launch for <paramref name="count"/> elements on <paramref name="accelerator"/> (at least 1).</summary>
    public static int Threads(Accelerator accelerator, long count) =>
        (int)Math.Max(1, accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(count, CpuThreads) : count);
}
