using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// The bias of a dense layer on a device: forward <c>Y[i,j] += b[j]</c> (a row vector added to every row
/// of an m×n matrix), backward <c>db[j] = Σᵢ dY[i,j]</c> (the column sums). One thread per column sums
/// its rows in order i = 0, 1, ..., m-1 in float, as <c>TensorMath.SumOverRows</c> does: no atomics, the
/// same bits on every run.
/// </summary>
internal sealed class BiasKernels
{
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int> _addRowVector;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int, int> _columnSums;

    /// <summary>Compiles the kernels for <paramref name="accelerator"/>.</summary>
    public BiasKernels(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _addRowVector = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int>(AddRowVectorKernel);
        _columnSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int>(ColumnSumsKernel);
    }

    /// <summary><c>Y[i,j] += b[j]</c> for the m×n matrix <paramref name="y"/> (m·n values) and <paramref name="bias"/> (n values).</summary>
    public void AddRowVector(ArrayView<float> y, int m, int n, ArrayView<float> bias)
    {
        Require(y.Length >= (long)m * n && bias.Length >= n, $"AddRowVector: {m}x{n} matrix and {n} biases, views of {y.Length} and {bias.Length}");
        if (m == 0 || n == 0) return;
        int threads = Launch.Threads(_accelerator, (long)m * n);
        _addRowVector(threads, y, bias, n, m * n, threads);
    }

    /// <summary><c>db[j] = Σᵢ dY[i,j]</c> for the m×n matrix <paramref name="gradOutput"/>; m = 0 gives zeros.</summary>
    public void ColumnSums(ArrayView<float> gradOutput, int m, int n, ArrayView<float> destination)
    {
        Require(gradOutput.Length >= (long)m * n && destination.Length >= n, $"ColumnSums: {m}x{n} matrix into {n} sums, views of {gradOutput.Length} and {destination.Length}");
        if (n == 0) return;
        _columnSums(n, gradOutput, destination, m, n);
    }

    private static void AddRowVectorKernel(Index1D index, ArrayView<float> y, ArrayView<float> bias, int n, int count, int stride)
    {
        for (int i = index; i < count; i += stride) y[i] += bias[i % n];
    }

    private static void ColumnSumsKernel(Index1D j, ArrayView<float> dy, ArrayView<float> db, int m, int n)
    {
        float sum = 0f;
        for (int i = 0; i < m; i++) sum += dy[(long)i * n + j];
        db[j] = sum;
    }

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new ArgumentException(what + ".");
    }
}
