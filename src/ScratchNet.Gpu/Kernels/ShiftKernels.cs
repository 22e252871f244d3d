using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Whole-pixel shifts of an NCHW batch, each sample by its own offset (dy, dx), the border filled with 0,
/// the same as <c>RandomShift2D</c> on the CPU: forward <c>y[n, c, h, w] = x[n, c, h − dy, w − dx]</c>,
/// backward <c>dx[n, c, h, w] = dy[n, c, h + dy, w + dx]</c> (0 where the source falls outside). The
/// offsets are given (<c>shifts[2n] = dy</c>, <c>shifts[2n + 1] = dx</c>): the host draws them from the
/// layer's own generator. Each value is a copy or a 0, so the result is the CPU layer's to the bit.
/// </summary>
internal sealed class ShiftKernels
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int, int, int> _shift;

    /// <summary>Compiles the kernel for <paramref name="accelerator"/>.</summary>
    public ShiftKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _shift = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int, int, int>(Kernel);
    }

    /// <summary>Forward: <c>y[n, c, h, w] = x[n, c, h − dy, w − dx]</c> for <paramref name="count"/> samples of (channels, height, width).</summary>
    public void Forward(ArrayView<float> x, ArrayView<int> shifts, ArrayView<float> y, int count, int channels, int height, int width) =>
        Run(x, shifts, y, count, channels, height, width, 1);

    /// <summary>Backward: <c>dx[n, c, h, w] = dy[n, c, h + dy, w + dx]</c>, the forward's offsets undone.</summary>
    public void Backward(ArrayView<float> gradOutput, ArrayView<int> shifts, ArrayView<float> gradInput, int count, int channels, int height, int width) =>
        Run(gradOutput, shifts, gradInput, count, channels, height, width, -1);

    private void Run(ArrayView<float> from, ArrayView<int> shifts, ArrayView<float> to, int count, int channels, int height, int width, int sign)
    {
        long total = (long)count * channels * height * width;
        if (count < 0 || total > int.MaxValue || from.Length < total || to.Length < total || shifts.Length < 2L * count)
            throw new ArgumentException($"ShiftKernels: {count} samples of {channels}x{height}x{width}, a view is shorter.");
        if (total == 0) return;
        int threads = Launch.Threads(_accelerator, total);
        _shift(threads, from, shifts, to, channels, height, width, (int)total, threads, sign);
    }

    // to[n, c, h, w] = from[n, c, h − sign·dy, w − sign·dx], 0 outside; thread i does i, i + stride, ...
    private static void Kernel(Index1D index, ArrayView<float> from, ArrayView<int> shifts, ArrayView<float> to, int channels, int height, int width, int total, int stride, int sign)
    {
        int plane = height * width, sample = channels * plane;
        for (int i = index; i < total; i += stride)
        {
            int n = i / sample, w = i % width, h = i / width % height;
            int sh = h - sign * shifts[2 * n], sw = w - sign * shifts[2 * n + 1];
            to[i] = sh >= 0 && sh < height && sw >= 0 && sw < width ? from[i + (sh - h) * width + (sw - w)] : 0f;
        }
    }
}
