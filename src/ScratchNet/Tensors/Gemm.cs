namespace ScratchNet.Tensors;

/// <summary>
/// General matrix multiply, <c>C = alpha * op(A) * op(B) + beta * C</c>, where op(X) is X or its
/// transpose. Row-major: op(A) is m x k, op(B) is k x n, C is m x n; <c>lda</c>, <c>ldb</c> and
/// <c>ldc</c> are the row strides of A, B and C as stored (A stored is m x k, or k x m when
/// transposed). When <c>beta</c> is 0, C is overwritten and its old contents (even NaN) are ignored.
/// </summary>
public static partial class Gemm
{
    /// <summary>
    /// <c>C = alpha * op(A) * op(B) + beta * C</c>, the fast path. Deterministic: each C element sums its
    /// k terms in the same order whatever <paramref name="threads"/> is (0 means <see cref="Compute.Threads"/>).
    /// Packed panels and a register-blocked micro-kernel (Vector512, Vector256 or scalar, chosen from the
    /// hardware); products of at least <see cref="ParallelThreshold"/> multiply-adds are split over threads.
    /// When alpha is 0 or k is 0, A and B are not read: C = beta * C.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int threads = 0)
    {
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), $"Gemm: threads must be 0 (use Compute.Threads) or more (got {threads}).");
        if (m == 0 || n == 0) return;
        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                Run(new Problem
                {
                    TransA = transA, TransB = transB, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                    A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc,
                }, threads);
            }
        }
    }

    /// <summary>Runs a validated, pinned problem: C = beta·C when there is nothing to multiply, else on the threads the partition picks.</summary>
    private static unsafe void Run(in Problem problem, int threads)
    {
        if (problem.K == 0 || problem.Alpha == 0f)
        {
            ScaleC(problem.C, problem.Ldc, problem.M, problem.N, problem.Beta);
            return;
        }
        if (threads == 0) threads = Compute.Threads;
        var (rowParts, colParts) = ChoosePartition(problem.M, problem.N, problem.K, threads);
        bool parallel = rowParts * colParts > 1;
        if (IsNarrow(problem.N))
            RunRowBlocks(problem, parallel ? threads : 1, narrow: true);
        else if (parallel && IsTallShortK(problem.M, problem.N, problem.K))
            RunRowBlocks(problem, threads, narrow: false);
        else if (!parallel)
            MultiplyRegion(problem, 0, problem.M, 0, problem.N);
        else if (FitsOneRowBlock(problem.M, problem.K))
            RunSharedPanels(problem, Math.Min(threads, (problem.N + Blocks.NR - 1) / Blocks.NR));
        else
            RunGrid(problem, rowParts, colParts);
    }

    /// <summary>
    /// <c>C = alpha * op(A) * B + beta * C</c> where B (k x n) is supplied panel by panel by
    /// <paramref name="b"/> instead of being stored; otherwise the same algorithm, threads and bits as
    /// the stored form. The source must give entries for every k0 + q &lt; k and j0 + t &lt; n.
    /// </summary>
    internal static void MultiplyFromPanels(bool transA, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        IPanelSource b, float beta, Span<float> c, int ldc, int threads = 0)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Gemm: negative size m={m}, n={n}, k={k}.");
        CheckOperand("A", a.Length, transA ? k : m, transA ? m : k, lda);
        CheckOperand("C", c.Length, m, n, ldc);
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), $"Gemm: threads must be 0 (use Compute.Threads) or more (got {threads}).");
        if (m == 0 || n == 0) return;
        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pc = c)
            {
                Run(new Problem
                {
                    TransA = transA, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                    A = pa, C = pc, Lda = lda, Ldc = ldc, BSource = b,
                }, threads);
            }
        }
    }

    /// <summary>
    /// The specification: a plain triple loop, <c>C[i,j] = alpha * sum_p op(A)[i,p] * op(B)[p,j] + beta * C[i,j]</c>,
    /// summed in double. Slow; tests compare the fast path with it.
    /// </summary>
    public static void Reference(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    float bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)aip * bpj;
                }
                float old = beta == 0 ? 0f : beta * c[i * ldc + j];
                c[i * ldc + j] = (float)(alpha * sum) + old;
            }
        }
    }

    /// <summary>
    /// Tensor form: <c>C = alpha * op(A) * op(B) + beta * C</c> on the matrix views of the tensors
    /// (see <see cref="Tensor.Rows"/> and <see cref="Tensor.Columns"/>). Shapes are checked and a
    /// mismatch names all three shapes.
    /// </summary>
    public static void MatMul(Tensor a, Tensor b, Tensor c, bool transA = false, bool transB = false, float alpha = 1f, float beta = 0f)
    {
        int m = transA ? a.Columns : a.Rows;
        int ka = transA ? a.Rows : a.Columns;
        int kb = transB ? b.Columns : b.Rows;
        int n = transB ? b.Rows : b.Columns;
        string op = $"MatMul({(transA ? "A^T" : "A")} * {(transB ? "B^T" : "B")})";
        if (ka != kb)
            throw new ShapeMismatchException(op, a.ShapeString, b.ShapeString);
        if (c.Rows != m || c.Columns != n)
            throw new ShapeMismatchException($"{op} into C {c.ShapeString}: expected C of ({m}, {n}); A {a.ShapeString}, B", a.ShapeString, b.ShapeString);
        Multiply(transA, transB, m, n, ka, alpha, a.Span, a.Columns, b.Span, b.Columns, beta, c.Span, n);
    }

    /// <summary>A new tensor holding op(A) * op(B).</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        var c = new Tensor(transA ? a.Columns : a.Rows, transB ? b.Rows : b.Columns);
        MatMul(a, b, c, transA, transB);
        return c;
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Gemm: negative size m={m}, n={n}, k={k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckOperand("A", a.Length, aRows, aCols, lda);
        CheckOperand("B", b.Length, bRows, bCols, ldb);
        CheckOperand("C", c.Length, m, n, ldc);
    }

    private static void CheckOperand(string name, int length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"Gemm: leading dimension of {name} is {ld}, less than its {cols} columns.");
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed) throw new ArgumentException($"Gemm: {name} holds {length} floats but a {rows} x {cols} matrix with stride {ld} needs {needed}.");
    }
}
