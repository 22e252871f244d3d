using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

/// <summary>The fast GEMM against the scalar reference, on odd sizes, all transposes, alpha/beta and strides.</summary>
[Trait("Category", "Kernels")]
public class GemmTests
{
    // (m, n, k): zeros, ones, sevens, 33s and 257s mixed; some cross the tile, row-block, K-chunk and
    // column-block sizes (MR, NR, MC = 96, KC = 1024, NC = 4096) to exercise every edge.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 7, 33), (7, 0, 33), (33, 7, 0), (1, 1, 1), (7, 7, 7), (1, 33, 7), (33, 1, 257),
        (7, 257, 33), (257, 33, 7), (33, 257, 1), (257, 7, 257), (33, 33, 257), (9, 40, 2100), (3, 4200, 5),
    ];

    public static IEnumerable<object[]> Cases()
    {
        foreach (var (m, n, k) in Shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (0.5f, -0.75f) })
                        foreach (bool strided in new[] { false, true })
                            yield return [m, n, k, transA, transB, alpha, beta, strided];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(int m, int n, int k, bool transA, bool transB, float alpha, float beta, bool strided)
    {
        var rng = new Rng((ulong)(m * 1000003 + n * 1009 + k));
        int pad = strided ? 3 : 0;
        var (a, lda) = RandomMatrix(rng, transA ? k : m, transA ? m : k, pad);
        var (b, ldb) = RandomMatrix(rng, transB ? n : k, transB ? k : n, pad);
        var (c, ldc) = RandomMatrix(rng, m, n, pad);
        if (beta == 0f) Array.Fill(c, float.NaN); // beta 0 must ignore old C, NaN included
        var expected = (float[])c.Clone();
        Gemm.Reference(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        var padding = (float[])c.Clone();

        Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads: 1);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // Float32 sums of k terms are off by at most about k * eps * sum|a||b|; allow 1e-5 of
                // that magnitude, which is far above rounding and far below any indexing mistake.
                double magnitude = 0;
                for (int p = 0; p < k; p++)
                    magnitude += Math.Abs(At(a, lda, transA, i, p)) * Math.Abs(At(b, ldb, transB, p, j));
                double old = beta == 0f ? 0 : Math.Abs(beta * padding[i * ldc + j]);
                double tolerance = 1e-5 * (Math.Abs(alpha) * magnitude + old) + 1e-30;
                float got = c[i * ldc + j], want = expected[i * ldc + j];
                Assert.False(Math.Abs(got - want) > tolerance,
                    $"C[{i},{j}] = {got}, reference {want}, tolerance {tolerance} (m={m} n={n} k={k} transA={transA} transB={transB})");
            }
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Assert.Equal(padding[i * ldc + j], c[i * ldc + j]); // the stride gap is not written
        }
    }

    public static IEnumerable<object[]> ParallelCases()
    {
        foreach (var (m, n, k) in new[] { (64, 256, 784), (784, 256, 64), (300, 257, 1100), (129, 1000, 40), (1000, 9, 300), (40, 700, 3000), (4100, 129, 10), (129, 10, 2100) })
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    yield return [m, n, k, transA, transB];
    }

    [Theory]
    [MemberData(nameof(ParallelCases))]
    public void ThreadCountDoesNotChangeBits(int m, int n, int k, bool transA, bool transB)
    {
        Assert.True((long)m * n * k >= Gemm.ParallelThreshold, "shape should cross the parallel threshold");
        var rng = new Rng(42);
        var (a, lda) = RandomMatrix(rng, transA ? k : m, transA ? m : k, 0);
        var (b, ldb) = RandomMatrix(rng, transB ? n : k, transB ? k : n, 1);
        var (c0, ldc) = RandomMatrix(rng, m, n, 0);
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone(), three = (float[])c0.Clone();

        Gemm.Multiply(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 1f, one, ldc, threads: 1);
        Gemm.Multiply(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 1f, two, ldc, threads: 2);
        Gemm.Multiply(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, 1f, three, ldc, threads: 3);

        Assert.Equal(one, two);
        Assert.Equal(one, three);
    }

    [Theory]
    [InlineData(64, 4096, 800, 2)]  // conv2's W · cols: threads claim 32-column panels from a counter
    [InlineData(40, 700, 3000, 2)]  // three K chunks per panel
    [InlineData(40, 700, 3000, 3)]
    public void SharedPanelProductMatchesReference(int m, int n, int k, int threads)
    {
        var rng = new Rng(9);
        var (a, lda) = RandomMatrix(rng, m, k, 0);
        var (b, ldb) = RandomMatrix(rng, k, n, 2);
        var (c, ldc) = RandomMatrix(rng, m, n, 1);
        var expected = (float[])c.Clone();
        Gemm.Reference(false, false, m, n, k, 0.5f, a, lda, b, ldb, -0.25f, expected, ldc);
        Gemm.Multiply(false, false, m, n, k, 0.5f, a, lda, b, ldb, -0.25f, c, ldc, threads);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - c[i]) <= 1e-5f * (1 + Math.Abs(expected[i])) * Math.Sqrt(k), $"C[{i}]: {c[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData(784, 256, 16, true, false)]   // a weight gradient at batch 16: threads claim row blocks
    [InlineData(1001, 130, 10, false, true)]  // an input gradient of a 10-class layer, rows not a multiple of MR
    [InlineData(1003, 97, 33, true, true)]
    [InlineData(4100, 10, 33, false, false)]  // narrow: A read where it is stored
    [InlineData(129, 10, 2100, true, false)]  // narrow, three K chunks
    [InlineData(131, 13, 1100, true, true)]
    [InlineData(3001, 1, 700, false, true)]
    [InlineData(20, 10, 4200, false, false)]  // narrow, op(B) too long to pack once: chunk by chunk
    [InlineData(21, 16, 4200, true, false)]
    public void RowBlockAndNarrowProductsMatchReferenceOnAnyThreadCount(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Rng((ulong)(m * 31 + n * 7 + k));
        var (a, lda) = RandomMatrix(rng, transA ? k : m, transA ? m : k, 1);
        var (b, ldb) = RandomMatrix(rng, transB ? n : k, transB ? k : n, 2);
        var (c, ldc) = RandomMatrix(rng, m, n, 3);
        var expected = (float[])c.Clone();
        Gemm.Reference(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, -0.25f, expected, ldc);
        var results = new List<float[]>();
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var got = (float[])c.Clone();
            Gemm.Multiply(transA, transB, m, n, k, 0.5f, a, lda, b, ldb, -0.25f, got, ldc, threads);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    float want = expected[i * ldc + j], have = got[i * ldc + j];
                    Assert.True(Math.Abs(want - have) <= 1e-5f * (1 + Math.Abs(want)) * Math.Sqrt(k), $"C[{i},{j}] = {have}, reference {want} ({threads} threads)");
                }
                for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                    Assert.Equal(c[i * ldc + j], got[i * ldc + j]); // the stride gap is not written
            }
            results.Add(got);
        }
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(0f)]
    public void AlphaZeroScalesCAndDoesNotReadAOrB(float beta)
    {
        var a = Enumerable.Repeat(float.NaN, 6).ToArray(); // 2 x 3, never read
        var b = Enumerable.Repeat(float.PositiveInfinity, 12).ToArray(); // 3 x 4, never read
        var c = new float[] { 1, 2, 3, 4, 5, 6, 7, float.NaN };
        Gemm.Multiply(false, false, 2, 4, 3, 0f, a, 3, b, 4, beta, c, 4);
        var expected = beta == 0f ? new float[8] : new float[] { 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, float.NaN };
        Assert.Equal(expected, c);
    }

    [Fact]
    public void MicroKernelFollowsTheHardware()
    {
        // Under DOTNET_EnableAVX512=0 (.NET 10's name; EnableAVX512F is ignored) this is the Vector256
        // kernel, under DOTNET_EnableHWIntrinsic=0 the scalar one, so the other tests cover each path.
        string expected = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "Vector512 8x32"
            : Vector256.IsHardwareAccelerated && Fma.IsSupported ? "Vector256 6x16" : "scalar 4x2";
        Assert.Equal(expected, Gemm.MicroKernel);
    }

    [Fact]
    public void ConcurrentCallersAndChangingThreadCountsGetTheSameBits()
    {
        // Several threads hammer the worker pool at once, with 2, 3 and 4 threads per call: calls that
        // find the pool busy run alone, workers not needed by a call sit it out; the bits never change.
        const int m = 96, n = 200, k = 300;
        var rng = new Rng(11);
        var (a, _) = RandomMatrix(rng, m, k, 0);
        var (b, _) = RandomMatrix(rng, k, n, 0);
        var expected = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, expected, n, threads: 1);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var callers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var c = new float[m * n];
            for (int i = 0; i < 60; i++)
            {
                Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, threads: 2 + (i + t) % 3);
                if (!c.AsSpan().SequenceEqual(expected)) failures.Add($"caller {t}, call {i}");
                if (i % 20 == 19) Thread.Sleep(2); // let idle workers fall asleep, then wake them
            }
        })).ToList();
        callers.ForEach(c => c.Start());
        callers.ForEach(c => c.Join());
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(64, 10, 128, 1)]   // small: one thread, low-overhead path
    [InlineData(64, 256, 784, 1)]
    [InlineData(64, 256, 784, 2)]  // crosses the threshold: the worker pool
    public void RepeatedCallDoesNotAllocate(int m, int n, int k, int threads)
    {
        var rng = new Rng(7);
        var (a, _) = RandomMatrix(rng, m, k, 0);
        var (b, _) = RandomMatrix(rng, k, n, 0);
        var c = new float[m * n];
        // The smallest of several trials: a one-off allocation by the test host is not the kernel's.
        ScratchNet.Tests.Support.Allocations.AssertNone(() => Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n, threads));
    }

    [Fact]
    public void MatMulTransposedTensorsMatchesReference()
    {
        var rng = new Rng(3);
        var a = new Tensor(33, 7); // used as A^T: 7 x 33
        var b = new Tensor(12, 33); // used as B^T: 33 x 12
        for (int i = 0; i < a.Span.Length; i++) a.Span[i] = rng.NextFloat() - 0.5f;
        for (int i = 0; i < b.Span.Length; i++) b.Span[i] = rng.NextFloat() - 0.5f;
        var c = new Tensor(7, 12);
        Gemm.MatMul(a, b, c, transA: true, transB: true);
        var expected = new float[7 * 12];
        Gemm.Reference(true, true, 7, 12, 33, 1f, a.Span, 7, b.Span, 33, 0f, expected, 12);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], c.Span[i], 1e-5f);
    }

    [Fact]
    public void BadArgumentsSayWhatIsWrong()
    {
        var buf = new float[100];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1f, buf, 3, buf, 4, 0f, buf, 4));
        Assert.Contains("leading dimension of A", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1f, buf, 4, buf, 4, 0f, buf, 4, threads: -1));
    }

    private static float At(float[] x, int ld, bool trans, int row, int col) => trans ? x[col * ld + row] : x[row * ld + col];

    private static (float[] Data, int Ld) RandomMatrix(Rng rng, int rows, int cols, int pad)
    {
        int ld = cols + pad;
        var data = new float[Math.Max(0, rows * ld)];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextFloat() * 2f - 1f;
        return (data, ld);
    }
}
