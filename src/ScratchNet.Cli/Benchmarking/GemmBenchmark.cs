using System.Diagnostics;
using System.Globalization;
using ScratchNet.Tensors;

namespace ScratchNet.Cli.Benchmarking;

/// <summary>
/// Measures <see cref="Gemm.Multiply"/> in GFLOP/s, <c>2*m*n*k / seconds</c>, on the shapes that matter
/// to us: squares and the eight products of one training step of a 784-256-128-10 MLP at batch 64, or
/// any product given as <c>MxKxN[:OP]</c> (<see cref="ParseShapes"/>).
/// Each shape is warmed up, then timed in several repetitions of enough calls to last a few
/// milliseconds; the median repetition is reported (the best one too, useful on a noisy machine).
/// </summary>
public static class GemmBenchmark
{
    /// <summary>One product: op(A) is m x k, op(B) is k x n.</summary>
    public sealed record Shape(int M, int K, int N, bool TransA, bool TransB, string Label);

    /// <summary>The timing of one shape: seconds per call and GFLOP/s, median and best over the repetitions.</summary>
    public sealed record Result(Shape Shape, int Threads, double MedianSeconds, double BestSeconds)
    {
        public double Flops => 2.0 * Shape.M * Shape.N * Shape.K;
        public double GFlops => Flops / MedianSeconds / 1e9;
        public double BestGFlops => Flops / BestSeconds / 1e9;

        /// <summary>The machine's measured FMA peak on the same thread count (<see cref="FmaPeak"/>), GFLOP/s; NaN when not measured.</summary>
        public double PeakGFlops { get; init; } = double.NaN;

        /// <summary>The median speed as a fraction of <see cref="PeakGFlops"/>: <c>GFlops / PeakGFlops</c>.</summary>
        public double FractionOfPeak => GFlops / PeakGFlops;

        /// <summary>
        /// One JSON object on one line: m, k, n, transA, transB, threads, gflops (median), best_gflops, seconds,
        /// label, kernel, and peak_gflops and fraction_of_peak when the peak was measured.
        /// </summary>
        public string ToJson()
        {
            var json = string.Create(CultureInfo.InvariantCulture,
                $"{{\"m\": {Shape.M}, \"k\": {Shape.K}, \"n\": {Shape.N}, \"transA\": {Bool(Shape.TransA)}, \"transB\": {Bool(Shape.TransB)}, " +
                $"\"threads\": {Threads}, \"gflops\": {GFlops:F2}, \"best_gflops\": {BestGFlops:F2}, \"seconds\": {MedianSeconds:E4}, \"label\": \"{Shape.Label}\", \"kernel\": \"{Gemm.MicroKernel}\"");
            if (!double.IsNaN(PeakGFlops))
                json += string.Create(CultureInfo.InvariantCulture, $", \"peak_gflops\": {PeakGFlops:F2}, \"fraction_of_peak\": {FractionOfPeak:F4}");
            return json + "}";
        }

        private static string Bool(bool b) => b ? "true" : "false";
    }

    /// <summary>Squares 512, 1024, 2048, then the MLP step's products (forward A*B, weight gradients A^T*B, input gradients A*B^T).</summary>
    public static IReadOnlyList<Shape> StandardShapes { get; } =
    [
        new(512, 512, 512, false, false, "square"),
        new(1024, 1024, 1024, false, false, "square"),
        new(2048, 2048, 2048, false, false, "square"),
        new(64, 784, 256, false, false, "mlp forward"),
        new(64, 256, 128, false, false, "mlp forward"),
        new(64, 128, 10, false, false, "mlp forward"),
        new(784, 64, 256, true, false, "mlp weight gradient"),
        new(256, 64, 128, true, false, "mlp weight gradient"),
        new(128, 64, 10, true, false, "mlp weight gradient"),
        new(64, 128, 256, false, true, "mlp input gradient"),
        new(64, 10, 128, false, true, "mlp input gradient"),
    ];

    /// <summary>The label of a product given on the command line (<c>--shape</c>), in the text and JSON output.</summary>
    public const string GivenLabel = "given";

    /// <summary>
    /// The products of a <c>--shape</c> value: a comma-separated list of <c>MxKxN</c> or
    /// <c>MxKxN:OP</c>, where op(A) is m x k, op(B) is k x n and OP names the transposes of A then B
    /// (N as stored, T transposed; default NN): "784x64x256:TN" is AᵀB with A stored 64 x 784.
    /// </summary>
    /// <param name="text">The option's value, e.g. "4096x784x256,784x4096x256:TN".</param>
    /// <exception cref="FormatException">
    /// An entry that is not three sizes from 1 up, an unknown OP, or a product whose A, B and C need more
    /// than <see cref="Limits.MaxGemmBenchmarkBytes"/> bytes; the message quotes the entry and says why.
    /// </exception>
    public static IReadOnlyList<Shape> ParseShapes(string text)
    {
        var shapes = new List<Shape>();
        foreach (string entry in text.Split(',', StringSplitOptions.TrimEntries))
            shapes.Add(ParseShape(entry));
        return shapes;
    }

    /// <summary>One <c>MxKxN[:OP]</c> entry of <see cref="ParseShapes"/>.</summary>
    /// <exception cref="FormatException">See <see cref="ParseShapes"/>.</exception>
    public static Shape ParseShape(string entry)
    {
        string quoted = $"'{TextExcerpt.Of(entry)}'";
        if (entry.Length == 0) throw new FormatException("an empty entry (give MxKxN or MxKxN:OP, e.g. 784x64x256:TN; several separated by commas)");
        int colon = entry.IndexOf(':');
        string sizes = colon < 0 ? entry : entry[..colon];
        string given = colon < 0 ? "NN" : entry[(colon + 1)..];
        string op = given.ToUpperInvariant();
        if (op is not ("NN" or "TN" or "NT" or "TT"))
            throw new FormatException($"{quoted}: the transposes after ':' must be NN, TN, NT or TT (N as stored, T transposed; A^T B is TN), got '{TextExcerpt.Of(given)}'");
        var parts = sizes.Split('x', 'X');
        if (parts.Length != 3)
            throw new FormatException($"{quoted}: expected three sizes MxKxN (op(A) m x k, op(B) k x n), e.g. 784x64x256:TN, got {parts.Length}");
        var values = new int[3];
        for (int i = 0; i < 3; i++)
        {
            // Digits only: no sign, no spaces, no thousands separators inside a size.
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
                throw new FormatException($"{quoted}: {"mkn"[i]} must be a whole number from 1 to {int.MaxValue}, got '{TextExcerpt.Of(parts[i])}'");
        }
        var (m, k, n) = (values[0], values[1], values[2]);
        // Int128: each product of two sizes fits a long, their sum may not.
        Int128 bytes = sizeof(float) * ((Int128)m * k + (Int128)k * n + (Int128)m * n);
        if (bytes > Limits.MaxGemmBenchmarkBytes)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"{quoted}: A, B and C need {(decimal)bytes:N0} bytes of float32, more than the limit of {Limits.MaxGemmBenchmarkBytes:N0} (Limits.MaxGemmBenchmarkBytes)"));
        return new Shape(m, k, n, op[0] == 'T', op[1] == 'T', GivenLabel);
    }

    /// <summary>
    /// Times one shape on <paramref name="threads"/> threads: about <paramref name="warmupSeconds"/> of
    /// warm-up, then <paramref name="repetitions"/> timings of as many calls as fill <paramref name="minSeconds"/>.
    /// </summary>
    /// <param name="shape">The product to time.</param>
    /// <param name="threads">Threads passed to <see cref="Gemm.Multiply"/>.</param>
    /// <param name="repetitions">Timed repetitions; the median and the best are reported.</param>
    /// <param name="minSeconds">Each repetition runs as many calls as fill this long.</param>
    /// <param name="warmupSeconds">Untimed calls first, for this long (at least 3 calls).</param>
    /// <param name="cpuTime">
    /// Time with the process's CPU time instead of the wall clock (one thread only). On a machine
    /// shared with other work this leaves out the time the process waited for a core, so it measures
    /// the code rather than the scheduler; on a quiet machine both clocks agree.
    /// </param>
    public static Result Measure(Shape shape, int threads, int repetitions = 7, double minSeconds = 0.03, double warmupSeconds = 0.1, bool cpuTime = false)
    {
        if (cpuTime && threads != 1) throw new ArgumentException($"CPU-time measurement needs threads = 1 (got {threads}): with more, waiting threads would blur it.", nameof(threads));
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"threads must be at least 1 (got {threads}).");
        if (repetitions < 1) throw new ArgumentOutOfRangeException(nameof(repetitions), $"repetitions must be at least 1 (got {repetitions}).");
        var (m, k, n) = (shape.M, shape.K, shape.N);
        var rng = new Rng(12345);
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c = new float[m * n];
        int lda = shape.TransA ? m : k, ldb = shape.TransB ? k : n;
        void Call() => Gemm.Multiply(shape.TransA, shape.TransB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n, threads);

        Func<double> clock = cpuTime ? () => Environment.CpuUsage.TotalTime.TotalSeconds : () => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

        // Warm-up, which also tells how many calls one timing needs.
        double begin = clock();
        long calls = 0;
        do { Call(); calls++; } while (clock() - begin < warmupSeconds || calls < 3);
        double perCall = Math.Max(1e-9, (clock() - begin) / calls);
        long iterations = Math.Max(1, (long)Math.Ceiling(minSeconds / perCall));

        var times = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            double start = clock();
            for (long i = 0; i < iterations; i++) Call();
            times[r] = (clock() - start) / iterations;
        }
        Array.Sort(times);
        return new Result(shape, threads, times[repetitions / 2], times[0]);
    }

    private static float[] RandomArray(Rng rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat() * 2f - 1f;
        return x;
    }
}
