using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Gpu.Kernels;

/// <summary>
/// General matrix multiply on a device, the contract of <c>ScratchNet.Tensors.Gemm</c>:
/// <c>C = α·op(A)·op(B) + β·C</c>, op(X) being X or Xᵀ, row-major, op(A) m×k, op(B) k×n, C m×n, with row
/// strides lda, ldb, ldc of A, B and C as stored. When β is 0, C's old contents (even NaN) are ignored;
/// when α or k is 0, A and B are not read.
/// </summary>
/// <remarks>
/// Tiled in shared memory: a group of T×T threads computes a T×T block of C; for each k-tile it loads
/// one T×T tile of op(A) and one of op(B) (each value read once per tile from global memory instead of
/// T times), waits at a barrier, and each thread adds its T products, C[i,j] += Σ_q A[i,k0+q]·B[k0+q,j].
/// Every C element sums its k terms in order p = 0, 1, ..., k-1 in float (the padding beyond k adds
/// 0·0), so the result is the same bits on every run. T is 16 on a GPU and 4 on ILGPU's CPU
/// accelerator, whose groups have at most 16 threads.
/// <para>
/// On the CPU accelerator a barrier is a synchronisation of host threads (about 0.1 ms each when
/// measured on a busy 2-core machine, against nanoseconds on a GPU) and shared memory is ordinary
/// memory, so training there uses the direct form: one thread per C element reading A and B from
/// memory, summing the same terms in the same order, hence the same bits as the tiled form. The
/// tests run both forms on the CPU accelerator.
/// </para>
/// </remarks>
internal sealed class MatrixProduct
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape> _kernel;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape, int> _direct;

    /// <summary>The problem's sizes and scalars, passed to the kernel by value.</summary>
    internal struct Shape
    {
        public int TransA, TransB, M, N, K, Lda, Ldb, Ldc, Tile;
        public float Alpha, Beta;
    }

    /// <summary>Compiles the kernel for <paramref name="accelerator"/>.</summary>
    public MatrixProduct(Accelerator accelerator)
    {
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape>(Kernel);
        _accelerator = accelerator;
        _direct = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape, int>(DirectKernel);
        Tile = accelerator.MaxNumThreadsPerGroup >= 256 ? 16 : (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup);
        Tiled = accelerator.AcceleratorType != AcceleratorType.CPU;
    }

    /// <summary>Whether <see cref="Multiply"/> uses the tiled kernel (true except on the CPU accelerator, where barriers are costly; tests set it).</summary>
    public bool Tiled { get; set; }

    /// <summary>T: the tile's side, so a group has T×T threads.</summary>
    public int Tile { get; }

    /// <summary>
    /// <c>C = α·op(A)·op(B) + β·C</c> on the device's default stream. Sizes and strides are checked against
    /// the views' lengths as <c>Gemm.Multiply</c> checks them.
    /// </summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"MatrixProduct: negative size m={m}, n={n}, k={k}.");
        Check("A", a.Length, transA ? k : m, transA ? m : k, lda);
        Check("B", b.Length, transB ? n : k, transB ? k : n, ldb);
        Check("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0) return;
        if ((long)m * n > int.MaxValue) throw new ArgumentException($"MatrixProduct: a {m}x{n} product has more than {int.MaxValue} elements.");
        if (alpha == 0f) k = 0; // A and B are not read: C = β·C
        int t = Tile;
        var shape = new Shape
        {
            TransA = transA ? 1 : 0, TransB = transB ? 1 : 0, M = m, N = n, K = k,
            Lda = Math.Max(lda, 1), Ldb = Math.Max(ldb, 1), Ldc = ldc, Tile = t, Alpha = alpha, Beta = beta,
        };
        if (!Tiled)
        {
            int threads = Launch.Threads(_accelerator, (long)m * n);
            _direct(threads, a, b, c, shape, threads);
            return;
        }
        var config = new KernelConfig(new Index2D((n + t - 1) / t, (m + t - 1) / t), new Index2D(t, t), SharedMemoryConfig.RequestDynamic<float>(2 * t * t));
        _kernel(config, a, b, c, shape);
    }

    private static void Check(string name, long length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"MatrixProduct: {name} is stored {rows}x{cols} but its row stride is {ld}.");
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed) throw new ArgumentException($"MatrixProduct: {name} needs {needed} values ({rows}x{cols}, stride {ld}), the view has {length}.");
    }

    /// <summary>One thread per C element (row i = group row·T + y, column j = group column·T + x).</summary>
    private static void Kernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, Shape s)
    {
        int t = s.Tile;
        ArrayView<float> tiles = SharedMemory.GetDynamic<float>(); // op(A)'s tile in [0, T²), op(B)'s in [T², 2T²)
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * t + ty, col = Grid.IdxX * t + tx;
        float sum = 0f;
        for (int k0 = 0; k0 < s.K; k0 += t)
        {
            int ka = k0 + tx, kb = k0 + ty;
            float av = 0f, bv = 0f;
            if (row < s.M && ka < s.K) av = s.TransA != 0 ? a[(long)ka * s.Lda + row] : a[(long)row * s.Lda + ka];
            if (kb < s.K && col < s.N) bv = s.TransB != 0 ? b[(long)col * s.Ldb + kb] : b[(long)kb * s.Ldb + col];
            tiles[ty * t + tx] = av;
            tiles[t * t + ty * t + tx] = bv;
            Group.Barrier();
            for (int q = 0; q < t; q++) sum += tiles[ty * t + q] * tiles[t * t + q * t + tx];
            Group.Barrier();
        }
        if (row < s.M && col < s.N)
        {
            long at = (long)row * s.Ldc + col;
            float old = s.Beta == 0f ? 0f : s.Beta * c[at];
            c[at] = (s.K == 0 ? 0f : s.Alpha * sum) + old;
        }
    }

    /// <summary>
    /// The direct form: thread t computes the elements e = t, t + stride, ... of C, element e being
    /// C[e / n, e mod n], its k terms in order p = 0, 1, ..., k-1 as the tiled form sums them.
    /// </summary>
    private static void DirectKernel(Index1D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, Shape s, int stride)
    {
        int total = s.M * s.N;
        for (int e = index; e < total; e += stride) DirectElement(e, a, b, c, s);
    }

    private static void DirectElement(int index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, Shape s)
    {
        int row = index / s.N, col = index - row * s.N;
        float sum = 0f;
        for (int p = 0; p < s.K; p++)
        {
            float av = s.TransA != 0 ? a[(long)p * s.Lda + row] : a[(long)row * s.Lda + p];
            float bv = s.TransB != 0 ? b[(long)col * s.Ldb + p] : b[(long)p * s.Ldb + col];
            sum += av * bv;
        }
        long at = (long)row * s.Ldc + col;
        float old = s.Beta == 0f ? 0f : s.Beta * c[at];
        c[at] = (s.K == 0 ? 0f : s.Alpha * sum) + old;
    }
}
