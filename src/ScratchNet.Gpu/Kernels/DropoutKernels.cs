using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// Inverted dropout as ILGPU kernels, the same transformation as <c>Dropout</c> on the CPU:
/// <c>y = x ⊙ m</c>, <c>m_i ∈ {0, 1/(1 − p)}</c>, so E[y] = x, and <c>dx = dy ⊙ m</c> with the same mask.
/// The mask is <see cref="DropoutHash.Mask"/> of (seed, step, i): the same on every device and thread
/// count, but not the CPU layer's draws (that one walks its own generator), so the two agree in
/// distribution, not element by element. Launch them through <see cref="DropoutLauncher"/>.
/// </summary>
public static class DropoutKernels
{
    /// <summary>Forward, thread i: <c>m[i] = DropoutHash.Mask(seed, step, i, p, 1/(1 − p))</c>, <c>y[i] = x[i] · m[i]</c>.</summary>
    public static void Forward(Index1D i, ArrayView<float> x, ArrayView<float> mask, ArrayView<float> y, ulong seed, ulong step, float rate, float keepScale)
    {
        float m = DropoutHash.Mask(seed, step, (ulong)i.X, rate, keepScale);
        mask[i] = m;
        y[i] = x[i] * m;
    }

    /// <summary>Backward, thread i: <c>dx[i] = dy[i] · m[i]</c>.</summary>
    public static void Backward(Index1D i, ArrayView<float> dy, ArrayView<float> mask, ArrayView<float> dx) => dx[i] = dy[i] * mask[i];
}
